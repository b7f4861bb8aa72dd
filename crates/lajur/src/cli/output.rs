//! How the command line answers.

use std::io::Write;

/// Prints one line of the command's answer. A closed output (the reader of a
/// pipe went away) cannot be told either; what the command did stays done.
pub(crate) fn say(out: &mut dyn Write, line: impl std::fmt::Display) {
    writeln!(out, "{}", shown_safely(&line.to_string())).unwrap_or_default();
}

/// Text from the records (names, notes, titles) shown in a terminal: control
/// characters (escape sequences that move the cursor or recolour the screen)
/// and the marks that reverse the direction of text are written as \u{…},
/// so a note cannot disguise itself or what follows it.
pub(crate) fn shown_safely(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        let bidi = matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
        if (c.is_control() && c != '\n' && c != '\t') || bidi {
            out.push_str(&format!("\\u{{{:x}}}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::shown_safely;

    #[test]
    fn escapes_and_direction_marks_are_shown_not_obeyed() {
        assert_eq!(shown_safely("a\x1b[2Jb"), "a\\u{1b}[2Jb");
        assert_eq!(shown_safely("x\u{202E}fdp.exe"), "x\\u{202e}fdp.exe");
        assert_eq!(shown_safely("baris\n\tdua"), "baris\n\tdua");
        assert_eq!(shown_safely("Surat Édaran — ok"), "Surat Édaran — ok");
    }
}
