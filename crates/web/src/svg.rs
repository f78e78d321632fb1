//! Text inside server-drawn SVG (charts, badge images): escaped, as SVG is XML.

pub(crate) use guildhall_domain::xml::escape;
