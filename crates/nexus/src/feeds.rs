//! RSS 2.0 and Atom feeds of open spaces and tags: `/s/{slug}/feed.atom|rss` and
//! `/tags/{tag}/feed.atom|rss`. `app` decides what is in a feed; this writes the XML and the
//! HTTP caching around it (a strong `ETag` of the bytes, `Last-Modified` of the newest entry,
//! 304 for a reader that already has them).
//!
//! Written by hand with `domain::xml::escape` rather than with the `rss` and `atom_syndication`
//! crates: the two documents are a few dozen lines, and those crates would bring quick-xml and
//! builder macros into the build for no less code. Python's `feedparser` checks the result in
//! the tests.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Utc};
use guildhall_app::feeds::Feed;
use guildhall_app::{App, AppError};
use guildhall_domain::xml::escape;
use sha2::{Digest, Sha256};

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/s/{slug}/feed.atom", get(space_atom))
        .route("/s/{slug}/feed.rss", get(space_rss))
        .route("/tags/{tag}/feed.atom", get(tag_atom))
        .route("/tags/{tag}/feed.rss", get(tag_rss))
}

/// Readers poll; five minutes keeps a busy space cheap without hiding a new thread for long.
const CACHE_CONTROL: &str = "public, max-age=300";

#[derive(Clone, Copy)]
enum Format {
    Atom,
    Rss,
}

async fn space_atom(State(app): State<App>, Path(slug): Path<String>, h: HeaderMap) -> Response {
    answer(app.open_space_feed(&slug).await, &app, Format::Atom, &h)
}

async fn space_rss(State(app): State<App>, Path(slug): Path<String>, h: HeaderMap) -> Response {
    answer(app.open_space_feed(&slug).await, &app, Format::Rss, &h)
}

async fn tag_atom(State(app): State<App>, Path(tag): Path<String>, h: HeaderMap) -> Response {
    answer(app.open_tag_feed(&tag).await, &app, Format::Atom, &h)
}

async fn tag_rss(State(app): State<App>, Path(tag): Path<String>, h: HeaderMap) -> Response {
    answer(app.open_tag_feed(&tag).await, &app, Format::Rss, &h)
}

fn answer(
    feed: Result<Feed, AppError>,
    app: &App,
    format: Format,
    request: &HeaderMap,
) -> Response {
    let feed = match feed {
        Ok(feed) => feed,
        Err(error) => return refused(&error),
    };
    let base = app.settings().server.public_url.trim_end_matches('/');
    let (body, content_type) = match format {
        Format::Atom => (atom(&feed, base), "application/atom+xml; charset=utf-8"),
        Format::Rss => (rss(&feed, base), "application/rss+xml; charset=utf-8"),
    };
    let etag = format!("\"{}\"", hex(&Sha256::digest(body.as_bytes())[..16]));
    let last_modified = http_date(feed.updated);
    let mut headers = HeaderMap::new();
    let pairs = [
        (header::ETAG, etag.as_str()),
        (header::LAST_MODIFIED, last_modified.as_str()),
        (header::CACHE_CONTROL, CACHE_CONTROL),
    ];
    for (name, value) in pairs {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    if not_modified(request, &etag, feed.updated) {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    (StatusCode::OK, headers, body).into_response()
}

/// RFC 9110 §13.1: `If-None-Match` wins; `If-Modified-Since` counts only without it.
fn not_modified(request: &HeaderMap, etag: &str, updated: DateTime<Utc>) -> bool {
    if let Some(tags) = request.get(header::IF_NONE_MATCH) {
        let tags = tags.to_str().unwrap_or("");
        return tags
            .split(',')
            .map(str::trim)
            .any(|tag| tag == "*" || tag == etag || tag.strip_prefix("W/") == Some(etag));
    }
    request
        .get(header::IF_MODIFIED_SINCE)
        .and_then(|since| since.to_str().ok())
        .and_then(|since| DateTime::parse_from_rfc2822(since).ok())
        .is_some_and(|since| updated.timestamp() <= since.timestamp())
}

/// A plain-text answer: feed readers show neither HTML pages nor JSON errors.
fn refused(error: &AppError) -> Response {
    let status = match error {
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::BadRequest(_) | AppError::Invalid(_) => StatusCode::BAD_REQUEST,
        AppError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    if status == StatusCode::INTERNAL_SERVER_ERROR {
        tracing::error!(%error, "feed failed");
    }
    let message = match error {
        AppError::NotFound => "There is no open space or tag with a feed here.".to_owned(),
        other => other.public_message(),
    };
    (status, [(header::CACHE_CONTROL, "no-store")], message).into_response()
}

fn atom(feed: &Feed, base: &str) -> String {
    let mut out = String::with_capacity(4096 + feed.entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let feed_url = format!("{base}{}.atom", feed.feed_path);
    push(&mut out, "  <id>", &feed_url, "</id>\n");
    push(&mut out, "  <title>", &feed.title, "</title>\n");
    push(&mut out, "  <subtitle>", &feed.subtitle, "</subtitle>\n");
    push(
        &mut out,
        "  <updated>",
        &rfc3339(feed.updated),
        "</updated>\n",
    );
    push(
        &mut out,
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"",
        &feed_url,
        "\"/>\n",
    );
    let page = format!("{base}{}", feed.page_path);
    push(
        &mut out,
        "  <link rel=\"alternate\" type=\"text/html\" href=\"",
        &page,
        "\"/>\n",
    );
    // Atom needs an author on every entry; entries of people who left take the feed's.
    out.push_str("  <author><name>Guildhall</name></author>\n");
    out.push_str("  <generator>Guildhall</generator>\n");
    for entry in &feed.entries {
        let url = format!("{base}{}", entry.path);
        out.push_str("  <entry>\n");
        push(&mut out, "    <id>", &url, "</id>\n");
        push(&mut out, "    <title>", &entry.title, "</title>\n");
        push(
            &mut out,
            "    <link rel=\"alternate\" type=\"text/html\" href=\"",
            &url,
            "\"/>\n",
        );
        if let Some(author) = &entry.author {
            push(&mut out, "    <author><name>", author, "</name></author>\n");
        }
        push(
            &mut out,
            "    <category term=\"",
            &entry.space_name,
            "\"/>\n",
        );
        push(
            &mut out,
            "    <published>",
            &rfc3339(entry.published),
            "</published>\n",
        );
        push(
            &mut out,
            "    <updated>",
            &rfc3339(entry.updated),
            "</updated>\n",
        );
        push(
            &mut out,
            "    <content type=\"html\">",
            &entry.content_html,
            "</content>\n",
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

fn rss(feed: &Feed, base: &str) -> String {
    let mut out = String::with_capacity(4096 + feed.entries.len() * 2048);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    // RSS 2.0's <author> must be an email address; people are named by dc:creator instead.
    out.push_str("<rss version=\"2.0\" xmlns:atom=\"http://www.w3.org/2005/Atom\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">\n<channel>\n");
    push(&mut out, "  <title>", &feed.title, "</title>\n");
    push(
        &mut out,
        "  <link>",
        &format!("{base}{}", feed.page_path),
        "</link>\n",
    );
    push(
        &mut out,
        "  <description>",
        &feed.subtitle,
        "</description>\n",
    );
    let feed_url = format!("{base}{}.rss", feed.feed_path);
    push(
        &mut out,
        "  <atom:link rel=\"self\" type=\"application/rss+xml\" href=\"",
        &feed_url,
        "\"/>\n",
    );
    push(
        &mut out,
        "  <lastBuildDate>",
        &feed.updated.to_rfc2822(),
        "</lastBuildDate>\n",
    );
    out.push_str("  <generator>Guildhall</generator>\n");
    for entry in &feed.entries {
        let url = format!("{base}{}", entry.path);
        out.push_str("  <item>\n");
        push(&mut out, "    <title>", &entry.title, "</title>\n");
        push(&mut out, "    <link>", &url, "</link>\n");
        push(
            &mut out,
            "    <guid isPermaLink=\"true\">",
            &url,
            "</guid>\n",
        );
        if let Some(author) = &entry.author {
            push(&mut out, "    <dc:creator>", author, "</dc:creator>\n");
        }
        push(
            &mut out,
            "    <category>",
            &entry.space_name,
            "</category>\n",
        );
        push(
            &mut out,
            "    <pubDate>",
            &entry.published.to_rfc2822(),
            "</pubDate>\n",
        );
        push(
            &mut out,
            "    <description>",
            &entry.content_html,
            "</description>\n",
        );
        out.push_str("  </item>\n");
    }
    out.push_str("</channel>\n</rss>\n");
    out
}

/// `open`, the escaped `text`, `close`: every text and address goes through `escape`.
fn push(out: &mut String, open: &str, text: &str, close: &str) {
    out.push_str(open);
    out.push_str(&escape(text));
    out.push_str(close);
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// An HTTP date (RFC 9110 §5.6.7), always in GMT.
fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matching_etag_or_an_unchanged_date_is_not_modified() {
        let updated = DateTime::from_timestamp(1_800_000_000, 500_000).unwrap();
        let mut headers = HeaderMap::new();
        assert!(!not_modified(&headers, "\"a\"", updated));
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Fri, 15 Jan 2027 08:00:00 GMT"),
        );
        assert!(not_modified(&headers, "\"a\"", updated));
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Fri, 15 Jan 2027 07:59:59 GMT"),
        );
        assert!(!not_modified(&headers, "\"a\"", updated));
        // An ETag that does not match wins over a date that would.
        headers.insert(
            header::IF_MODIFIED_SINCE,
            HeaderValue::from_static("Fri, 15 Jan 2027 09:00:00 GMT"),
        );
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"b\", W/\"c\""),
        );
        assert!(!not_modified(&headers, "\"a\"", updated));
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"b\", W/\"a\""),
        );
        assert!(not_modified(&headers, "\"a\"", updated));
    }

    #[test]
    fn http_dates_are_in_gmt() {
        let at = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(http_date(at), "Fri, 15 Jan 2027 08:00:00 GMT");
    }
}
