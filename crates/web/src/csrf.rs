//! Cross-site request forgery protection for every state-changing request made with cookies.
//!
//! Each browser gets a random token in a `SameSite=Strict`, `HttpOnly` cookie; every form carries
//! the same token in a hidden `_csrf` field (scripts send it as `X-CSRF-Token`). A request whose
//! token is missing or different is refused before any handler runs. The field is removed from the
//! body here, so handlers never see it. Requests authenticated by a bearer token carry no ambient
//! credential and need no token, nor do API requests without the session cookie.

use crate::WebState;
use crate::auth::{bearer_token, cookie};
use crate::error::reject;
use axum::body::{Body, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use cookie::{Cookie, SameSite};
use subtle::ConstantTimeEq;

pub const FIELD: &str = "_csrf";
pub const HEADER: &str = "x-csrf-token";

/// The token that this request's forms must carry.
#[derive(Clone)]
pub struct CsrfToken(pub String);

fn is_well_formed(token: &str) -> bool {
    token.len() >= 32
        && token.len() <= 64
        && token
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

pub async fn protect(State(state): State<WebState>, mut request: Request, next: Next) -> Response {
    // SCIM is a programs' API like /api: bearer tokens, JSON errors, no forms.
    let api =
        request.uri().path().starts_with("/api/") || request.uri().path().starts_with("/scim/");
    let existing = cookie(request.headers(), state.config.csrf_cookie)
        .filter(|t| is_well_formed(t))
        .map(str::to_owned);
    let (token, fresh) = match existing {
        Some(token) => (token, false),
        None => match guildhall_app::secrets::new_token("") {
            Ok(token) => (token, true),
            Err(_) => {
                return reject(
                    api,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal_error",
                    "Something went wrong on our side.",
                );
            }
        },
    };

    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    );
    // Pages always need the token (it also stops forged sign-ins); an API call needs it only when
    // it carries the session cookie, the one credential a browser attaches on its own.
    let ambient = !api || cookie(request.headers(), state.config.session_cookie).is_some();
    if unsafe_method && ambient && bearer_token(request.headers()).is_none() {
        let cross_site = request
            .headers()
            .get("sec-fetch-site")
            .is_some_and(|v| v == "cross-site");
        let (presented, rebuilt) = match presented_token(request, &state).await {
            Ok(found) => found,
            Err(response) => return response,
        };
        request = rebuilt;
        let matches = presented.is_some_and(|p| bool::from(p.as_bytes().ct_eq(token.as_bytes())));
        if fresh || cross_site || !matches {
            return reject(
                api,
                StatusCode::FORBIDDEN,
                "csrf_failed",
                "This form has expired or did not come from Guildhall. Please go back, reload the page and try again.",
            );
        }
    }

    request.extensions_mut().insert(CsrfToken(token.clone()));
    let mut response = next.run(request).await;
    if fresh {
        let cookie = Cookie::build((state.config.csrf_cookie, token))
            .path("/")
            .http_only(true)
            .secure(state.config.secure_cookies)
            .same_site(SameSite::Strict)
            .build();
        if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
    }
    response
}

/// Finds the token in the header or, for form posts, in the body (which is rebuilt without it).
async fn presented_token(
    request: Request,
    state: &WebState,
) -> Result<(Option<String>, Request), Response> {
    let api = request.uri().path().starts_with("/api/");
    if let Some(value) = request.headers().get(HEADER).and_then(|v| v.to_str().ok()) {
        let value = value.to_owned();
        return Ok((Some(value), request));
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if content_type.starts_with("multipart/form-data") {
        // File uploads are streamed to their handler, so the token travels in the form's URL.
        let token = request.uri().query().and_then(|query| {
            form_urlencoded::parse(query.as_bytes())
                .find(|(key, _)| key == FIELD)
                .map(|(_, value)| value.into_owned())
        });
        return Ok((token, request));
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return Ok((None, request));
    }
    let (parts, body) = request.into_parts();
    let limit = state.app.settings().server.max_body_bytes;
    let bytes = to_bytes(body, limit).await.map_err(|_| {
        reject(
            api,
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
            "The form is too large.",
        )
    })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| {
        reject(
            api,
            StatusCode::BAD_REQUEST,
            "invalid_encoding",
            "The form must be sent as UTF-8.",
        )
    })?;
    let mut token = None;
    let mut rest = form_urlencoded::Serializer::new(String::with_capacity(text.len()));
    for (key, value) in form_urlencoded::parse(text.as_bytes()) {
        if key == FIELD {
            token = Some(value.into_owned());
        } else {
            rest.append_pair(&key, &value);
        }
    }
    Ok((token, Request::from_parts(parts, Body::from(rest.finish()))))
}
