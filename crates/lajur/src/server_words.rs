//! What the office server's answers say, in the office's words: one wording
//! for the command line and the window.

use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_records::journal::Joined;
use lajur_records::server::ServerSummary;

/// What joining the office server at `place` did.
pub fn joined(joined: &Joined, place: &str, lang: Lang) -> String {
    match joined {
        Joined::Moved { log_rows, files } => i18n::fill(
            Text::ServerJoinedMoved,
            lang,
            &[
                ("place", place),
                ("rows", &log_rows.to_string()),
                ("files", &files.to_string()),
            ],
        ),
        Joined::CaughtUp { entries } => i18n::fill(
            Text::ServerJoinedCaughtUp,
            lang,
            &[("place", place), ("entries", &entries.to_string())],
        ),
        Joined::Rebuilt { kept, entries } => i18n::fill(
            Text::ServerJoinedRebuilt,
            lang,
            &[
                ("place", place),
                ("kept", &kept.to_string()),
                ("entries", &entries.to_string()),
            ],
        ),
    }
}

/// What "Tes sambungan" found, a sentence each: where, whether encrypted,
/// and a warning about the role when there is one.
pub fn tested(summary: &ServerSummary, lang: Lang) -> Vec<String> {
    let mut said = vec![i18n::fill(
        Text::ServerReached,
        lang,
        &[
            ("place", &summary.place),
            ("version", &summary.server_version),
            ("entries", &summary.entries.to_string()),
        ],
    )];
    let tls = match summary.encrypted {
        true => Text::ServerEncrypted,
        false => Text::ServerNotEncrypted,
    };
    said.push(tls.get(lang).to_string());
    if summary.may_rewrite {
        said.push(Text::ServerRoleMayRewrite.get(lang).to_string());
    } else if !summary.may_write {
        said.push(Text::ServerRoleReadOnly.get(lang).to_string());
    }
    said
}
