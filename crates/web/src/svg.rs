//! Text inside server-drawn SVG (charts, badge images): escaped, as SVG is XML.

pub(crate) fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}
