//! A badge's image, drawn by the server: its emoji on a disc in a colour of its own, with its
//! name beneath — what wallets and the badge pages show (Open Badges wants an image).

use crate::svg::escape;

/// A colour per badge, stable and dark enough for white text (AA on the disc's edge).
fn hue(slug: &str) -> u32 {
    slug.bytes().fold(2_166_136_261_u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    }) % 360
}

pub fn badge_svg(slug: &str, name: &str, emoji: &str) -> String {
    let hue = hue(slug);
    let (name, emoji) = (escape(name), escape(emoji));
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 240 260" width="240" height="260" role="img" aria-labelledby="t"><title id="t">{name}</title><circle cx="120" cy="110" r="100" fill="hsl({hue}, 55%, 32%)"/><circle cx="120" cy="110" r="86" fill="hsl({hue}, 60%, 92%)"/><text x="120" y="140" font-size="84" text-anchor="middle">{emoji}</text><text x="120" y="246" font-size="18" font-family="sans-serif" text-anchor="middle" fill="#1a1a1a">{name}</text></svg>"##
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_escaped_and_colours_stable() {
        let svg = badge_svg("x", "<script>alert(1)</script>", "🔎");
        assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
        assert_eq!(hue("data-detective"), hue("data-detective"));
        assert!(hue("a") < 360);
    }
}
