//! `lajur import FILE... [--output DIR]`: an office's SOPs from Word, Excel
//! or TOML. With --output each becomes a TOML file there and no record is
//! touched; without it each becomes a draft in the library, never active.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use lajur_core::locale::{self as i18n, Lang, Text};
use lajur_records::{Store, fsutil};

use super::output::say;
use crate::imports::{ImportedFile, read_sop_file};

pub struct ImportRequest<'a> {
    pub files: &'a [PathBuf],
    pub output: Option<&'a Path>,
    pub actor: Option<&'a str>,
    pub data: &'a Path,
    pub lang: Lang,
}

pub fn run(request: &ImportRequest<'_>, out: &mut dyn std::io::Write) -> ExitCode {
    let lang = request.lang;
    // Where each SOP goes, decided (and refused in words) before any file is read.
    let mut target = match request.output {
        Some(dir) => {
            if dir.exists() && !dir.is_dir() {
                say(out, Text::ImportOutputNotFolder.get(lang));
                return ExitCode::FAILURE;
            }
            if let Err(e) = std::fs::create_dir_all(dir) {
                say(out, format_args!("{}: {e}", dir.display()));
                return ExitCode::FAILURE;
            }
            Target::Folder(dir)
        }
        None => {
            let Some(actor) = request.actor else {
                say(out, Text::ImportNeedsActor.get(lang));
                return ExitCode::FAILURE;
            };
            let opened = Store::open_with(request.data, lajur_records::Access::Shared)
                .and_then(|store| super::records::login(&store, actor, lang).map(|u| (store, u)));
            match opened {
                Ok((store, user)) => Target::Library(Box::new(store), user),
                Err(e) => {
                    say(out, e.message(lang));
                    return ExitCode::FAILURE;
                }
            }
        }
    };
    let mut imported = 0;
    for path in request.files {
        let file = match read_sop_file(path) {
            Ok(file) => file,
            Err(e) => {
                say(out, format_args!("{}: {}", path.display(), e.message(lang)));
                continue;
            }
        };
        say(out, file.summary(lang));
        for line in file.note_lines(lang) {
            say(out, format_args!("  - {line}"));
        }
        match target.put(path, &file, lang) {
            Ok(line) => {
                say(out, format_args!("  {line}"));
                imported += 1;
            }
            Err(message) => say(out, format_args!("  {message}")),
        }
    }
    let all = request.files.len();
    say(
        out,
        i18n::fill(
            Text::ImportSummary,
            lang,
            &[("ok", &imported.to_string()), ("all", &all.to_string())],
        ),
    );
    if imported == all {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

enum Target<'a> {
    Folder(&'a Path),
    Library(Box<Store>, lajur_core::records::User),
}

impl Target<'_> {
    /// Puts one SOP where it goes; the line to say, or why not.
    fn put(&mut self, path: &Path, file: &ImportedFile, lang: Lang) -> Result<String, String> {
        match self {
            Target::Folder(dir) => {
                let stem = path
                    .file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = fsutil::safe_file_name(&stem, "toml");
                // Never over a file already there: "name (2).toml" then.
                let written = fsutil::write_new(&dir.join(name), file.toml.as_bytes())
                    .map_err(|e| format!("{}: {e}", dir.display()))?;
                Ok(i18n::fill(
                    Text::ImportWrote,
                    lang,
                    &[("out", &written.display().to_string())],
                ))
            }
            Target::Library(store, user) => {
                let id = store
                    .import_sop(
                        Some(user),
                        &file.toml,
                        &format!("impor:{}", file.file_name),
                        false,
                        &file.revision_note(lang),
                    )
                    .map_err(|e| e.message(lang))?;
                Ok(i18n::fill(
                    Text::ImportDraftMade,
                    lang,
                    &[("id", &id.to_string())],
                ))
            }
        }
    }
}
