//! Words compared loosely and cell texts made one line.

/// Lowercase words of a text, without punctuation ("Tgl. Pembuatan :" →
/// "tgl pembuatan").
pub fn norm(text: &str) -> String {
    text.to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { ' ' })
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whitespace collapsed, ends trimmed, lines joined by spaces ("Persyaratan/"
/// and "Kelengkapan" joined without one).
pub fn flat(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if !out.is_empty() && !out.ends_with('/') && !out.ends_with('-') {
            out.push(' ');
        }
        out.push_str(line);
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}
