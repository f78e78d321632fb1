//! The image check: Open-NSFW (BSD-2 weights) converted once to NNEF by
//! `tools/moderation-models/export.sh` and run in pure Rust with `tract`.
//!
//! Only tract-nnef and tract-core are linked: the ONNX front end (and its protobuf code) stays
//! out of the binary. `models/open-nsfw/README.md` defines the input and the preprocessing;
//! `tests/image_check.rs` holds this code to the reference values recorded there.

use image::{ImageError, ImageReader, Limits, RgbImage, error::LimitErrorKind};
use std::io::Cursor;
use std::sync::Arc;
use tract_nnef::prelude::*;

/// The archive is embedded so that a deployment cannot run with a missing or mismatched model.
static MODEL: &[u8] = include_bytes!("../../../../models/open-nsfw/open_nsfw.nnef.tgz");

/// Larger images are refused before their pixels are decoded: a small file can declare huge
/// dimensions (a decompression bomb). 8000 × 8000 RGBA is 256 MB.
const MAX_SIDE: u32 = 8000;
/// The model's input is `[1, CROP, CROP, 3]`, cut from the middle of a `RESIZED` square.
const RESIZED: usize = 256;
const CROP: usize = 224;
const CROP_START: usize = (RESIZED - CROP) / 2;
/// The training means, in the model's channel order B, G, R.
const MEAN_BGR: [f32; 3] = [104.0, 117.0, 123.0];

/// Cheap to clone; the model loads once.
#[derive(Clone)]
pub struct ImageCheck {
    model: Arc<TypedRunnableModel>,
}

impl ImageCheck {
    /// Loads the model embedded in the binary. Takes a noticeable moment (it unpacks 22 MB and
    /// optimises the graph), so load once at start-up and clone.
    pub fn load() -> Result<ImageCheck, String> {
        // The archive is gzip-compressed; tract-nnef's default `flate2` feature unpacks it. The
        // graph needs only the `tract_core` registry, which `nnef()` includes by default.
        let model = tract_nnef::nnef()
            .model_for_read(&mut &MODEL[..])
            .and_then(|m| m.into_optimized())
            .and_then(|m| m.into_runnable())
            .map_err(|e| format!("The image model could not be loaded: {e}."))?;
        Ok(ImageCheck { model })
    }

    /// P(explicit) in 0..=1 for an image file's bytes (PNG, JPEG, GIF first frame, WebP).
    /// Errors are short sentences.
    pub fn p_explicit(&self, bytes: &[u8]) -> Result<f32, String> {
        let image = decode(bytes)?;
        let input = Tensor::from_shape(&[1, CROP, CROP, 3], &preprocess(&image))
            .map_err(|_| "The image check failed.".to_string())?;
        let outputs = self
            .model
            .run(tvec!(input.into_tvalue()))
            .map_err(|_| "The image check failed.".to_string())?;
        // Output 0 is the softmax `[1, 2]` = [P(safe), P(explicit)].
        let p = outputs
            .first()
            .and_then(|o| o.to_plain_array_view::<f32>().ok())
            .and_then(|v| v.iter().nth(1).copied())
            .ok_or_else(|| "The image check failed.".to_string())?;
        Ok(p.clamp(0.0, 1.0))
    }
}

/// Decodes the first frame to RGB8, refusing oversized images before allocating their pixels.
fn decode(bytes: &[u8]) -> Result<RgbImage, String> {
    let unreadable =
        || "The file is not an image we can read (PNG, JPEG, GIF or WebP).".to_string();
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| unreadable())?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    reader.limits(limits);
    let image = reader.decode().map_err(|e| match e {
        ImageError::Limits(l) if matches!(l.kind(), LimitErrorKind::DimensionError) => {
            format!("The image is larger than {MAX_SIDE} × {MAX_SIDE} pixels.")
        }
        ImageError::Limits(_) => "The image needs too much memory to check.".to_string(),
        _ => unreadable(),
    })?;
    if image.width() == 0 || image.height() == 0 {
        return Err("The image is empty.".to_string());
    }
    // Alpha is dropped (not blended) and grey becomes R = G = B, as the reference pipeline does.
    Ok(image.into_rgb8())
}

/// One axis of the bilinear resize to `RESIZED`: for output coordinate `out`, the two source
/// coordinates and the weight of the second. Pixel centres are aligned (the `+ 0.5`/`- 0.5`),
/// and the edges clamp.
fn sample(out: usize, len: u32) -> (u32, u32, f32) {
    let last = (len - 1) as f32;
    let s = ((out as f32 + 0.5) * len as f32 / RESIZED as f32 - 0.5).clamp(0.0, last);
    let floor = s.floor();
    let i0 = floor as u32;
    (i0, (i0 + 1).min(len - 1), s - floor)
}

/// The exact preprocessing (public for the test): [1,224,224,3] f32 values in NHWC order.
///
/// Bilinear resize to 256 × 256 in f32 (not rounded back to bytes), centre crop 224 × 224,
/// channels B, G, R minus the means. The arithmetic order below is the one in the model's
/// README, so the tensor matches the reference bit for bit (Rust never fuses multiply-adds
/// on its own). `image` must not be empty.
pub fn preprocess(image: &RgbImage) -> Vec<f32> {
    let (width, height) = image.dimensions();
    let mut out = Vec::with_capacity(CROP * CROP * 3);
    if width == 0 || height == 0 {
        return out;
    }
    let columns: Vec<_> = (CROP_START..CROP_START + CROP)
        .map(|x| sample(x, width))
        .collect();
    for y in CROP_START..CROP_START + CROP {
        let (y0, y1, fy) = sample(y, height);
        for &(x0, x1, fx) in &columns {
            let (p00, p01) = (image.get_pixel(x0, y0), image.get_pixel(x1, y0));
            let (p10, p11) = (image.get_pixel(x0, y1), image.get_pixel(x1, y1));
            for (bgr, rgb) in [2, 1, 0].into_iter().enumerate() {
                let v = |p: &image::Rgb<u8>| f32::from(p.0[rgb]);
                let top = (1.0 - fx) * v(p00) + fx * v(p01);
                let bottom = (1.0 - fx) * v(p10) + fx * v(p11);
                let value = (1.0 - fy) * top + fy * bottom;
                out.push(value - MEAN_BGR[bgr]);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_image_check_can_be_shared_across_threads() {
        fn shareable<T: Send + Sync>() {}
        shareable::<ImageCheck>();
    }

    #[test]
    fn an_identity_resize_keeps_the_pixels() {
        let image = RgbImage::from_fn(256, 256, |x, y| image::Rgb([x as u8, y as u8, 7]));
        let tensor = preprocess(&image);
        assert_eq!(tensor.len(), CROP * CROP * 3);
        // The first value is pixel (16, 16), blue channel first.
        assert_eq!(&tensor[..3], &[7.0 - 104.0, 16.0 - 117.0, 16.0 - 123.0]);
    }
}
