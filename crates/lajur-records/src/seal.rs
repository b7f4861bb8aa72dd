//! Sign-off and seals: a signer's Ed25519 key, sealed under their password;
//! the seal over a kegiatan's record and the log's chain head; returning a
//! kegiatan for rework; verifying a code or a QR text against the records.
//!
//! A seal is an integrity check Lajur can verify, not a certified electronic
//! signature (TTE): offices that use TTE sign the exported PDF afterwards.

use argon2::Argon2;
use chacha20poly1305::aead::{Aead, KeyInit};
use chacha20poly1305::{ChaCha20Poly1305, Nonce};
use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use rand_core::{OsRng, RngCore};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use crate::kegiatan::{progress_in, write_current};
use crate::log;
use crate::store::{Result, Store, StoreError, now_text, parse_time};
use lajur_core::records::{KegiatanId, Refusal, Status, User, UserId};
use lajur_core::records::{Mismatch, Seal, Verification};

/// "LJR-7KQ2-M9XD": the short code printed on paper, from the signature.
pub fn short_code(signature: &[u8]) -> String {
    // Crockford's base32: no I, L, O, U to misread.
    const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let digest = Sha256::digest(signature);
    let mut bits: u64 = 0;
    for b in &digest[..5] {
        bits = (bits << 8) | u64::from(*b);
    }
    let chars: String = (0..8)
        .rev()
        .map(|i| ALPHABET[((bits >> (i * 5)) & 31) as usize] as char)
        .collect();
    format!("LJR-{}-{}", &chars[..4], &chars[4..])
}

/// A public key as printed: the first 16 hex digits of its SHA-256.
pub fn key_fingerprint(public_hex: &str) -> String {
    let digest = Sha256::digest(unhex(public_hex).unwrap_or_default());
    log::hex(&digest[..8]).to_uppercase()
}

/// A code as typed: case, spaces and Crockford's look-alikes forgiven.
fn normalise_code(text: &str) -> String {
    let text = text.trim();
    let code = text
        .strip_prefix("LAJUR1:")
        .or_else(|| text.strip_prefix("LAJUR2:"))
        .and_then(|rest| rest.split(':').next())
        .unwrap_or(text);
    let upper: String = code
        .to_uppercase()
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect();
    let body: String = upper
        .strip_prefix("LJR")
        .unwrap_or(&upper)
        .chars()
        .map(|c| match c {
            'O' => '0',
            'I' | 'L' => '1',
            other => other,
        })
        .collect();
    if body.len() == 8 {
        format!("LJR-{}-{}", &body[..4], &body[4..])
    } else {
        code.to_string()
    }
}

fn key_from_password(password: &str, salt: &[u8]) -> Result<[u8; 32]> {
    let mut key = [0u8; 32];
    Argon2::default()
        .hash_password_into(password.as_bytes(), salt, &mut key)
        .map_err(|_| StoreError::Password)?;
    Ok(key)
}

fn seal_secret(secret: &[u8; 32], password: &str) -> Result<(String, String)> {
    let mut salt = [0u8; 16];
    OsRng.fill_bytes(&mut salt);
    let mut nonce = [0u8; 12];
    OsRng.fill_bytes(&mut nonce);
    let cipher = ChaCha20Poly1305::new(&key_from_password(password, &salt)?.into());
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), secret.as_slice())
        .map_err(|_| StoreError::Password)?;
    let mut out = nonce.to_vec();
    out.extend(sealed);
    Ok((log::hex(&out), log::hex(&salt)))
}

fn unseal_secret(sealed_hex: &str, salt_hex: &str, password: &str) -> Result<SigningKey> {
    let sealed = unhex(sealed_hex).ok_or(StoreError::BadLogin)?;
    let salt = unhex(salt_hex).ok_or(StoreError::BadLogin)?;
    if sealed.len() < 12 {
        return Err(StoreError::BadLogin);
    }
    let cipher = ChaCha20Poly1305::new(&key_from_password(password, &salt)?.into());
    let secret = cipher
        .decrypt(Nonce::from_slice(&sealed[..12]), &sealed[12..])
        .map_err(|_| StoreError::BadLogin)?;
    let bytes: [u8; 32] = secret.try_into().map_err(|_| StoreError::BadLogin)?;
    Ok(SigningKey::from_bytes(&bytes))
}

pub(super) fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Re-seals a signer's active key under a new password (inside the caller's
/// transaction), when they change it knowing the old one.
pub(super) fn reseal_key(conn: &Connection, user: UserId, old: &str, new: &str) -> Result<()> {
    let row: Option<(i64, String, String)> = conn
        .query_row(
            "SELECT id, secret_sealed, salt FROM signing_keys WHERE user_id = ?1 AND retired_at IS NULL",
            [user],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    if let Some((id, sealed, salt)) = row {
        let key = unseal_secret(&sealed, &salt, old)?;
        let (sealed, salt) = seal_secret(&key.to_bytes(), new)?;
        conn.execute(
            "UPDATE signing_keys SET secret_sealed = ?2, salt = ?3 WHERE id = ?1",
            params![id, sealed, salt],
        )?;
    }
    Ok(())
}

/// Retires a signer's active key (its secret can no longer be opened after a
/// password reset); it stays to verify the seals it made.
pub(super) fn retire_key(conn: &Connection, user: UserId, now: DateTime<Utc>) -> Result<()> {
    conn.execute(
        "UPDATE signing_keys SET retired_at = ?2 WHERE user_id = ?1 AND retired_at IS NULL",
        params![user, now_text(now)],
    )?;
    Ok(())
}

/// The fields of a kegiatan's record a seal covers, one "name: value" per line.
fn record_lines(conn: &Connection, id: KegiatanId) -> Result<Vec<(String, String)>> {
    let (title, description, sop_hash, sop_name, sop_number, started_at, started_by, finished_at): (
        String,
        String,
        String,
        String,
        String,
        String,
        i64,
        Option<String>,
    ) = conn
        .query_row(
            "SELECT k.title, k.description, v.content_hash, v.name, v.number, k.started_at, k.started_by, k.finished_at
             FROM kegiatan k JOIN sop_versions v ON v.id = k.sop_version_id WHERE k.id = ?1",
            [id],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                    r.get(7)?,
                ))
            },
        )
        .optional()?
        .ok_or(StoreError::NoSuchKegiatan)?;
    let mut lines = vec![
        ("kegiatan".to_string(), id.to_string()),
        ("judul".into(), title),
        ("bahan".into(), description),
        (
            "sop".into(),
            format!("{sop_name} ({sop_number}) sha256 {sop_hash}"),
        ),
        ("mulai".into(), format!("{started_at} oleh {started_by}")),
        ("akhir".into(), finished_at.unwrap_or_default()),
    ];
    let mut stmt = conn.prepare_cached(
        "SELECT step_id, visit, lane, actor, COALESCE(recorded_by, 0), entered_at, done_at, COALESCE(answer, ''), COALESCE(next_step, ''), log_seq
         FROM step_events WHERE kegiatan_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(format!(
            "{} #{} {} oleh {}/{} {}..{} {} -> {} log {}",
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, String>(6)?,
            r.get::<_, String>(7)?,
            r.get::<_, String>(8)?,
            r.get::<_, i64>(9)?,
        ))
    })?;
    for (n, row) in rows.enumerate() {
        lines.push((format!("langkah {}", n + 1), row?));
    }
    let mut stmt = conn.prepare_cached(
        "SELECT step_id, draft, version, file_name, sha256, size, added_by, added_at FROM attachments WHERE kegiatan_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([id], |r| {
        Ok(format!(
            "{} {} v{} {} sha256 {} {} byte oleh {} {}",
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, i64>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, i64>(6)?,
            r.get::<_, String>(7)?,
        ))
    })?;
    for (n, row) in rows.enumerate() {
        lines.push((format!("lampiran {}", n + 1), row?));
    }
    Ok(lines)
}

fn payload_text(record: &[(String, String)], head: &str, signer: &User, at: &str) -> String {
    let mut text = String::from("LAJUR-SEGEL 1\njenis: kegiatan\n");
    for (name, value) in record {
        text.push_str(&format!("{name}: {}\n", value.replace('\n', "\\n")));
    }
    text.push_str(&format!("log: {head}\n"));
    text.push_str(&format!(
        "disahkan: {}; {}; NIP {}; {at}\n",
        signer.name,
        signer.jabatan,
        signer.nip.as_deref().unwrap_or("-")
    ));
    text
}

/// The signer's active key, opened with their password; made on first use.
fn signing_key(
    conn: &Connection,
    signer: &User,
    password: &str,
    at: &str,
) -> Result<(i64, SigningKey)> {
    let active: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, public_key, secret_sealed, salt FROM signing_keys WHERE user_id = ?1 AND retired_at IS NULL",
            [signer.id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .optional()?;
    Ok(match active {
        Some((key_id, _public, sealed, salt)) => (key_id, unseal_secret(&sealed, &salt, password)?),
        None => {
            let key = SigningKey::generate(&mut OsRng);
            let public = log::hex(key.verifying_key().as_bytes());
            let (sealed, salt) = seal_secret(&key.to_bytes(), password)?;
            conn.execute(
                "INSERT INTO signing_keys (user_id, public_key, secret_sealed, salt, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![signer.id, public, sealed, salt, at],
            )?;
            (conn.last_insert_rowid(), key)
        }
    })
}

/// The chain head a seal covers, as its payload writes it: "seq:hash".
fn log_head(conn: &Connection) -> Result<String> {
    let (seq, hash) = log::head(conn)?;
    Ok(format!("{seq}:{hash}"))
}

/// Whether a seal's signature verifies with its public key and its code is
/// the one the signature makes (verify of a paper, and of every seal).
pub(crate) fn seal_verifies(
    code: &str,
    payload: &str,
    signature_hex: &str,
    public_hex: &str,
) -> bool {
    (|| {
        let public: [u8; 32] = unhex(public_hex)?.try_into().ok()?;
        let signature_bytes = unhex(signature_hex)?;
        let signature: [u8; 64] = signature_bytes.clone().try_into().ok()?;
        VerifyingKey::from_bytes(&public)
            .ok()?
            .verify(payload.as_bytes(), &Signature::from_bytes(&signature))
            .ok()?;
        (short_code(&signature_bytes) == code).then_some(())
    })()
    .is_some()
}

impl Store {
    /// Records an export in the activity log, with the file's SHA-256.
    pub fn record_export(
        &mut self,
        actor: &User,
        kegiatan: Option<KegiatanId>,
        what: &str,
        sha256: &str,
    ) -> Result<()> {
        let tx = self.begin_write()?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(self.clock.now()),
                actor: Some(actor.id),
                on_behalf_of: None,
                kegiatan_id: kegiatan,
                step_id: None,
                action: "ekspor".into(),
                detail: what.into(),
                note: String::new(),
                attachments: sha256.into(),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Kegiatan waiting for a signer, oldest first.
    pub fn awaiting_sign_off(&self, limit: usize) -> Result<Vec<KegiatanId>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id FROM kegiatan WHERE status = 'menunggu_pengesahan' ORDER BY finished_at, id LIMIT ?1",
        )?;
        let rows = stmt.query_map([limit as i64], |r| r.get(0))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Whether `user` may sign off or return this kegiatan now.
    pub fn may_sign_off(&self, user: &User, id: KegiatanId) -> Result<bool> {
        match self.require_signer(user, id) {
            Ok(()) => Ok(true),
            Err(StoreError::NotAllowed(_)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    fn require_signer(&self, user: &User, id: KegiatanId) -> Result<()> {
        if !user.is_signer || !user.active {
            return Err(StoreError::NotAllowed(Refusal::SignerOnly));
        }
        if self.kegiatan(id)?.status != Status::AwaitingSignOff {
            return Err(StoreError::NotAllowed(Refusal::NotAwaitingSignOff));
        }
        Ok(())
    }

    /// Signs a finished kegiatan off: checks the signer's password, opens (or
    /// makes) their key, seals the record with the log's chain head, marks the
    /// kegiatan done (read-only from then on), and logs it, in one transaction.
    pub fn sign_off(&mut self, signer: &User, password: &str, id: KegiatanId) -> Result<Seal> {
        self.require_signer(signer, id)?;
        let signer = self.authenticate(&signer.username, password)?;
        let now = self.clock.now();
        let at = now_text(now);
        let tx = self.begin_write()?;
        let (key_id, key) = signing_key(&tx, &signer, password, &at)?;
        let status: String =
            tx.query_row("SELECT status FROM kegiatan WHERE id = ?1", [id], |r| {
                r.get(0)
            })?;
        if status != Status::AwaitingSignOff.code() {
            return Err(StoreError::NotAllowed(Refusal::NotAwaitingSignOff));
        }
        let head = log_head(&tx)?;
        let record = record_lines(&tx, id)?;
        let payload = payload_text(&record, &head, &signer, &at);
        let signature = key.sign(payload.as_bytes());
        let code = short_code(&signature.to_bytes());
        let signature_hex = log::hex(&signature.to_bytes());
        tx.execute(
            "INSERT INTO seals (code, kind, kegiatan_id, payload, signature, key_id, signer, signed_at)
             VALUES (?1, 'kegiatan', ?2, ?3, ?4, ?5, ?6, ?7)",
            params![code, id, payload, signature_hex, key_id, signer.id, at],
        )?;
        tx.execute("UPDATE kegiatan SET status = 'selesai' WHERE id = ?1", [id])?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: at.clone(),
                actor: Some(signer.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: None,
                action: "pengesahan".into(),
                detail: format!(
                    "disahkan {} ({}); kode {code}; log {head}",
                    signer.name, signer.jabatan
                ),
                note: String::new(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        self.seal_by_code(&code)?.ok_or(StoreError::NoSuchKegiatan)
    }

    /// Seals a register (activity report): its description, the SHA-256 of
    /// its content, and the log's chain head, signed by a signer. The seal
    /// proves who issued the report and that the log it was made from was
    /// unbroken up to that row; each kegiatan's own seal covers its record.
    pub fn seal_register(
        &mut self,
        signer: &User,
        password: &str,
        description: &str,
        content_sha256: &str,
    ) -> Result<Seal> {
        if !signer.is_signer || !signer.active {
            return Err(StoreError::NotAllowed(Refusal::SignerOnly));
        }
        let signer = self.authenticate(&signer.username, password)?;
        let now = self.clock.now();
        let at = now_text(now);
        let tx = self.begin_write()?;
        let (key_id, key) = signing_key(&tx, &signer, password, &at)?;
        let head = log_head(&tx)?;
        let payload = format!(
            "LAJUR-SEGEL 1\njenis: register\nisi: {}\nsha256: {content_sha256}\nlog: {head}\ndisahkan: {}; {}; NIP {}; {at}\n",
            description.replace('\n', " "),
            signer.name,
            signer.jabatan,
            signer.nip.as_deref().unwrap_or("-")
        );
        let signature = key.sign(payload.as_bytes());
        let code = short_code(&signature.to_bytes());
        let signature_hex = log::hex(&signature.to_bytes());
        tx.execute(
            "INSERT INTO seals (code, kind, kegiatan_id, payload, signature, key_id, signer, signed_at)
             VALUES (?1, 'register', NULL, ?2, ?3, ?4, ?5, ?6)",
            params![code, payload, signature_hex, key_id, signer.id, at],
        )?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: at.clone(),
                actor: Some(signer.id),
                on_behalf_of: None,
                kegiatan_id: None,
                step_id: None,
                action: "pengesahan".into(),
                detail: format!("register: {description}; kode {code}; log {head}"),
                note: String::new(),
                attachments: content_sha256.into(),
            },
        )?;
        tx.commit()?;
        self.seal_by_code(&code)?.ok_or(StoreError::NoSuchKegiatan)
    }

    /// The signer sends a finished kegiatan back to its last step with a
    /// note: it runs again from there (one more visit), and the log says why.
    pub fn return_for_rework(&mut self, signer: &User, id: KegiatanId, note: &str) -> Result<()> {
        self.require_signer(signer, id)?;
        if note.trim().is_empty() {
            return Err(StoreError::NotAllowed(Refusal::NoteRequired));
        }
        let sop = self.sop_of(id)?;
        let now = self.clock.now();
        let tx = self.begin_write()?;
        let last: Option<String> = tx
            .query_row(
                "SELECT step_id FROM step_events WHERE kegiatan_id = ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        let progress = progress_in(&tx, id)?;
        let reopened = lajur_core::workflow::engine::reopen(
            &sop,
            &progress,
            last.map(lajur_core::sop::StepId).as_ref(),
            now,
        )?;
        let current = reopened.current.clone().ok_or(StoreError::SopInvalid)?;
        write_current(&tx, &sop, id, &current, &self.calendar)?;
        tx.execute(
            "INSERT INTO visits (kegiatan_id, step_id, count) VALUES (?1, ?2, ?3)
             ON CONFLICT(kegiatan_id, step_id) DO UPDATE SET count = excluded.count",
            params![id, current.step.0, current.visit],
        )?;
        tx.execute(
            "UPDATE kegiatan SET status = 'berjalan', finished_at = NULL WHERE id = ?1",
            [id],
        )?;
        log::append(
            &tx,
            log::Entry {
                seq: 0,
                at: now_text(now),
                actor: Some(signer.id),
                on_behalf_of: None,
                kegiatan_id: Some(id),
                step_id: Some(current.step.0.clone()),
                action: lajur_core::workflow::handover::RETURNED_FROM_SIGN_OFF.into(),
                detail: format!("kembali ke {} (kali ke-{})", current.step, current.visit),
                note: note.trim().into(),
                attachments: String::new(),
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    fn seal_by_code(&self, code: &str) -> Result<Option<Seal>> {
        Ok(self
            .conn
            .query_row(
                "SELECT s.code, s.kegiatan_id, s.payload, s.signature, k.public_key, k.created_at, u.username, s.signed_at
                 FROM seals s JOIN signing_keys k ON k.id = s.key_id JOIN users u ON u.id = s.signer
                 WHERE s.code = ?1",
                [code],
                |r| {
                    let payload: String = r.get(2)?;
                    let public_key: String = r.get(4)?;
                    let line = |name: &str| {
                        payload
                            .lines()
                            .find_map(|l| l.strip_prefix(name))
                            .unwrap_or_default()
                            .to_string()
                    };
                    // "disahkan: name; jabatan; NIP x; at", as sealed.
                    let signed = line("disahkan: ");
                    let mut parts = signed.rsplitn(4, "; ");
                    let _at = parts.next();
                    let nip = parts
                        .next()
                        .and_then(|n| n.strip_prefix("NIP "))
                        .filter(|n| *n != "-")
                        .map(str::to_string);
                    let jabatan = parts.next().unwrap_or_default().to_string();
                    let signer = parts.next().unwrap_or_default().to_string();
                    Ok(Seal {
                        code: r.get(0)?,
                        kegiatan: r.get(1)?,
                        signature: r.get(3)?,
                        key_fingerprint: key_fingerprint(&public_key),
                        public_key,
                        signer,
                        jabatan,
                        nip,
                        signer_username: r.get(6)?,
                        key_created: parse_time(&r.get::<_, String>(5)?),
                        signed_at: parse_time(&r.get::<_, String>(7)?),
                        log_head: line("log: "),
                        payload,
                    })
                },
            )
            .optional()?)
    }

    /// The seal of a kegiatan, once signed off.
    pub fn seal_of(&self, id: KegiatanId) -> Result<Option<Seal>> {
        let code: Option<String> = self
            .conn
            .query_row(
                "SELECT code FROM seals WHERE kegiatan_id = ?1 ORDER BY id DESC LIMIT 1",
                [id],
                |r| r.get(0),
            )
            .optional()?;
        match code {
            Some(code) => self.seal_by_code(&code),
            None => Ok(None),
        }
    }

    /// Does a paper (its short code, or its QR text) match the records? The
    /// signature must verify, the record must be as sealed, and the log must
    /// still hold the sealed chain head with an unbroken chain.
    pub fn verify_code(&self, code_or_qr: &str) -> Result<Verification> {
        let code = normalise_code(code_or_qr);
        let Some(seal) = self.seal_by_code(&code)? else {
            let well_formed = code.len() == 13 && code.starts_with("LJR-");
            return Ok(Verification {
                seal: None,
                problems: vec![if well_formed {
                    Mismatch::UnknownCode
                } else {
                    Mismatch::MalformedCode
                }],
            });
        };
        let mut problems = Vec::new();
        let text = code_or_qr.trim();
        if let Some(rest) = text
            .strip_prefix("LAJUR1:")
            .or_else(|| text.strip_prefix("LAJUR2:"))
        {
            let fields: Vec<&str> = rest.split(':').collect();
            let signature = fields.get(1).copied().unwrap_or_default();
            if !signature.eq_ignore_ascii_case(&seal.signature) {
                problems.push(Mismatch::QrDiffers);
            }
            if let (Some(seq), Some(head)) = (fields.get(2), fields.get(3)) {
                let sealed = seal.log_head.split_once(':').unwrap_or(("0", ""));
                if *seq != sealed.0 || !sealed.1.starts_with(&head.to_lowercase()) {
                    problems.push(Mismatch::HeadDiffers);
                }
            }
            if let Some(key) = fields.get(4)
                && !key.eq_ignore_ascii_case(&seal.key_fingerprint)
            {
                problems.push(Mismatch::KeyDiffers);
            }
        }
        if !seal_verifies(&seal.code, &seal.payload, &seal.signature, &seal.public_key) {
            problems.push(Mismatch::BadSignature);
        }
        if let Some(id) = seal.kegiatan {
            let record = record_lines(&self.conn, id)?;
            let sealed: Vec<&str> = seal.payload.lines().collect();
            for (name, value) in &record {
                let line = format!("{name}: {}", value.replace('\n', "\\n"));
                if !sealed.contains(&line.as_str()) {
                    problems.push(Mismatch::RecordChanged(name.clone()));
                }
            }
            let fields = sealed
                .iter()
                .filter(|l| {
                    !l.starts_with("LAJUR-SEGEL")
                        && !l.starts_with("jenis:")
                        && !l.starts_with("log:")
                        && !l.starts_with("disahkan:")
                })
                .count();
            if fields != record.len() {
                problems.push(Mismatch::RecordChanged("jumlah baris".into()));
            }
        }
        let (seq, hash) = seal.log_head.split_once(':').unwrap_or(("0", ""));
        let seq: i64 = seq.parse().unwrap_or(0);
        let stored: Option<String> = self
            .conn
            .query_row("SELECT hash FROM log WHERE seq = ?1", [seq], |r| r.get(0))
            .optional()?;
        let head_ok = seq == 0 || stored.as_deref() == Some(hash);
        if !head_ok || self.verify_log()?.is_err() {
            problems.push(Mismatch::LogChanged);
        }
        problems.dedup();
        Ok(Verification {
            seal: Some(seal),
            problems,
        })
    }
}
