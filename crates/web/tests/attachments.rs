//! Attachments: images and PDFs recognised by their bytes, attached by the author only, served
//! safely and only to people who can read the thread.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly on purpose

mod support;

use guildhall_app::Settings;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use support::{browser, start_with};

/// A whole 1×1 PNG: images are decoded (for the image check), so a bare header is refused.
const PNG: &[u8] = b"\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63\x00\x01\x00\x00\x05\x00\x01\x0d\x0a\x2d\xb4\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60\x82";

#[tokio::test]
async fn authors_attach_images_and_pdfs_that_only_readers_can_fetch() {
    let data = std::env::temp_dir().join(format!("guildhall-attachments-{}", std::process::id()));
    let settings = Settings {
        data_dir: data.clone(),
        ..Settings::default()
    };
    let server = start_with(settings).await;
    let admin = browser();
    server.set_up_admin(&admin).await;
    let space = server
        .post_form(
            &admin,
            "/spaces",
            "/spaces",
            &[
                ("name", "Design"),
                ("kind", "team"),
                ("visibility", "invite_only"),
                ("description", ""),
                ("rules", ""),
            ],
        )
        .await
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let (grace, eve) = (browser(), browser());
    server
        .sign_up(&grace, "Grace", "Hopper", "grace@example.org")
        .await;
    server
        .sign_up(&eve, "Eve", "Outside", "eve@example.org")
        .await;
    server
        .post_form(
            &admin,
            &format!("{space}/members"),
            &format!("{space}/invite"),
            &[("email", "grace@example.org")],
        )
        .await;
    server
        .post_form(&grace, &space, &format!("{space}/join"), &[])
        .await;
    let thread = server
        .post_form(
            &grace,
            &space,
            &format!("{space}/threads"),
            &[
                ("kind", "showcase"),
                ("title", "New dashboard"),
                ("body", "Screenshot below."),
                ("link", ""),
            ],
        )
        .await
        .headers()["location"]
        .to_str()
        .unwrap()
        .to_owned();
    let page = grace
        .get(server.url(&thread))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let post = page
        .split("/posts/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let csrf = server.csrf(&grace, &thread).await;
    let upload = |client: &reqwest::Client, name: &str, bytes: &[u8], token: &str| {
        let form = Form::new().part(
            "file",
            Part::bytes(bytes.to_vec())
                .file_name(name.to_owned())
                .mime_str("image/png")
                .unwrap(),
        );
        client
            .post(server.url(&format!("/posts/{post}/attachments?_csrf={token}")))
            .multipart(form)
            .send()
    };

    // Disguised files are refused; so are uploads without the token and by someone else.
    let disguised = upload(&grace, "cat.png", b"<html><script>alert(1)</script>", &csrf)
        .await
        .unwrap();
    assert_eq!(disguised.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        disguised
            .text()
            .await
            .unwrap()
            .contains("Attach an image (PNG, JPEG, GIF, WebP) or a PDF.")
    );
    assert_eq!(
        upload(&grace, "a.png", PNG, "wrong")
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    let eve_csrf = server.csrf(&eve, "/").await;
    assert_eq!(
        upload(&eve, "a.png", PNG, &eve_csrf)
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );

    let attached = upload(&grace, "../../dashboard.png", PNG, &csrf)
        .await
        .unwrap();
    assert_eq!(attached.status(), StatusCode::SEE_OTHER);
    let pdf = upload(
        &grace,
        "report.pdf",
        b"%PDF-1.7\n%fake but well-formed enough",
        &csrf,
    )
    .await
    .unwrap();
    assert_eq!(pdf.status(), StatusCode::SEE_OTHER);
    let page = grace
        .get(server.url(&thread))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("alt=\"dashboard.png\""), "{page}");
    let image_url = page
        .split("<img src=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let pdf_url = page
        .split("<a href=\"/attachments/")
        .nth(2)
        .map(|rest| format!("/attachments/{}", rest.split('"').next().unwrap()))
        .unwrap();

    let image = grace.get(server.url(&image_url)).send().await.unwrap();
    assert_eq!(image.status(), StatusCode::OK);
    assert_eq!(image.headers()["content-type"], "image/png");
    assert!(
        image.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("inline; filename=\"dashboard.png\"")
    );
    assert!(
        image.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    assert_eq!(image.headers()["x-content-type-options"], "nosniff");
    assert_eq!(image.bytes().await.unwrap().as_ref(), PNG);
    let document = grace.get(server.url(&pdf_url)).send().await.unwrap();
    assert_eq!(document.headers()["content-type"], "application/pdf");
    assert!(
        document.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment;")
    );

    // The API twin: a bearer token, no CSRF token; files larger than the usual body limit pass.
    let token = server.token_via_profile(&grace, &["read", "write"]).await;
    let big = [PNG, &vec![0u8; 2 * 1024 * 1024]].concat();
    let form = Form::new().part("file", Part::bytes(big).file_name("big.png"));
    let response = reqwest::Client::new()
        .post(server.url(&format!("/api/v1/posts/{post}/attachments")))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    let form = Form::new().part(
        "file",
        Part::bytes(b"not an image".to_vec()).file_name("x.png"),
    );
    let response = reqwest::Client::new()
        .post(server.url(&format!("/api/v1/posts/{post}/attachments")))
        .bearer_auth(&token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        response.json::<serde_json::Value>().await.unwrap()["error"],
        "invalid_input"
    );

    // Someone outside the space gets nothing; unknown ids are not found.
    assert_eq!(
        eve.get(server.url(&image_url))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        grace
            .get(server.url("/attachments/999999"))
            .send()
            .await
            .unwrap()
            .status(),
        StatusCode::NOT_FOUND
    );
    assert!(
        data.join("attachments").exists(),
        "files live under the data folder"
    );
    std::fs::remove_dir_all(&data).unwrap();
}
