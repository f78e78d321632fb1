//! The image check against the reference values in `fixtures/images/reference.json`, which the
//! export script computed with onnxruntime on the original ONNX model.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

use guildhall_app::moderation::{ImageCheck, preprocess_image};
use serde_json::Value;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/images")
}

/// Loading unpacks and optimises the model, so it happens once per test binary.
fn check() -> &'static ImageCheck {
    static CHECK: OnceLock<ImageCheck> = OnceLock::new();
    CHECK.get_or_init(|| {
        let started = Instant::now();
        let check = ImageCheck::load().expect("the embedded model loads");
        println!("model loaded in {:.2?}", started.elapsed());
        check
    })
}

#[test]
fn the_fixtures_match_the_reference() {
    let text = std::fs::read_to_string(fixtures().join("reference.json")).expect("reference.json");
    let reference: Vec<Value> = serde_json::from_str(&text).expect("reference.json parses");
    assert!(!reference.is_empty());
    for case in &reference {
        let file = case["file"].as_str().expect("file");
        let bytes = std::fs::read(fixtures().join(file)).expect("fixture");
        let image = image::load_from_memory(&bytes)
            .expect("decodes")
            .into_rgb8();
        assert_eq!(image.width() as u64, case["width"].as_u64().expect("width"));
        assert_eq!(
            image.height() as u64,
            case["height"].as_u64().expect("height")
        );

        let tensor = preprocess_image(&image);
        assert_eq!(tensor.len(), 224 * 224 * 3, "{file}");
        for (index, expected) in case["tensor_samples"].as_object().expect("samples") {
            let index: usize = index.parse().expect("index");
            let expected = expected.as_f64().expect("sample") as f32;
            assert_eq!(tensor[index], expected, "{file}: tensor[{index}]");
        }
        let sum: f64 = tensor.iter().map(|&v| f64::from(v)).sum();
        let expected_sum = case["tensor_sum"].as_f64().expect("sum");
        assert!(
            (sum - expected_sum).abs() <= 1e-2 * expected_sum.abs().max(1.0),
            "{file}: sum {sum} vs {expected_sum}"
        );

        let check = check();
        let started = Instant::now();
        let p = check.p_explicit(&bytes).expect("the check runs");
        let took = started.elapsed();
        let onnx = case["p_explicit"].as_f64().expect("p_explicit") as f32;
        println!("{file}: p_explicit {p:.6} (onnxruntime {onnx:.6}) in {took:.2?}");
        assert!((p - onnx).abs() < 1e-4, "{file}: {p} vs {onnx}");
        assert!(p < 0.2, "{file} is safe but scored {p}");
    }
}

#[test]
fn jpeg_gif_and_webp_are_read_too() {
    let png = std::fs::read(fixtures().join("astronaut.png")).expect("fixture");
    let image = image::load_from_memory(&png).expect("decodes");
    let from_png = check().p_explicit(&png).expect("PNG");
    for format in [
        image::ImageFormat::Jpeg,
        image::ImageFormat::Gif,
        image::ImageFormat::WebP,
    ] {
        let mut bytes = std::io::Cursor::new(Vec::new());
        image.write_to(&mut bytes, format).expect("encodes");
        let p = check().p_explicit(bytes.get_ref()).expect("the check runs");
        println!("{format:?}: p_explicit {p:.6} (PNG {from_png:.6})");
        // Lossy re-encoding moves the score a little; it stays far below "uncertain".
        assert!(p < 0.2, "{format:?}: {p}");
    }
}

#[test]
fn bad_bytes_are_an_error_not_a_panic() {
    let png = std::fs::read(fixtures().join("astronaut.png")).expect("fixture");
    let cases: [(&str, &[u8]); 4] = [
        ("empty", &[]),
        ("junk", b"this is not an image at all"),
        ("truncated PNG", &png[..png.len() / 2]),
        ("PNG header only", &png[..16]),
    ];
    for (name, bytes) in cases {
        let result = check().p_explicit(bytes);
        println!("{name}: {result:?}");
        assert!(result.is_err(), "{name} was accepted");
    }
}

#[test]
fn huge_declared_dimensions_are_refused() {
    // A valid PNG header (IHDR) declaring 9000 × 9000 pixels, without the pixels: the decoder
    // must refuse it from the header rather than allocate 243 MB.
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = b"IHDR".to_vec();
    ihdr.extend(9000u32.to_be_bytes());
    ihdr.extend(9000u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    png.extend(13u32.to_be_bytes());
    png.extend(&ihdr);
    png.extend(crc32(&ihdr).to_be_bytes());
    let error = check().p_explicit(&png).expect_err("refused");
    println!("9000 × 9000: {error}");
    assert!(error.contains("8000"), "{error}");
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}
