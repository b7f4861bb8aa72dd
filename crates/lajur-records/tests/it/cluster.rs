#![allow(dead_code)] // Each test binary uses its own part of this module.
//! A throwaway PostgreSQL cluster for the tests that need the office server:
//! `initdb` and `pg_ctl` in a temp folder, listening on 127.0.0.1 at a free
//! port, run as a non-root user (PostgreSQL refuses root; as root the tests
//! run it as `postgres` through `runuser`). Without the server's programs the
//! tests skip with a printed reason, unless `LAJUR_PG_REQUIRED` is set (as
//! `.ci/run` does), when they fail.

use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    run_as: Option<String>,
    pub port: u16,
}

/// The superuser's password, and the two roles an office makes: the owner
/// (runs migrations) and the PCs' role (acts, may not rewrite history).
pub const SUPER_PASSWORD: &str = "super-rahasia";
pub const OWNER: &str = "lajur_pemilik";
pub const OWNER_PASSWORD: &str = "pemilik-rahasia";
pub const PC_ROLE: &str = "lajur_pc";
pub const PC_PASSWORD: &str = "pc-rahasia";

fn server_programs() -> Option<PathBuf> {
    let mut candidates: Vec<PathBuf> = Vec::new();
    if let Ok(out) = Command::new("pg_config").arg("--bindir").output()
        && out.status.success()
    {
        candidates.push(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()));
    }
    if let Ok(entries) = std::fs::read_dir("/usr/lib/postgresql") {
        let mut versions: Vec<PathBuf> = entries.flatten().map(|e| e.path().join("bin")).collect();
        versions.sort();
        candidates.extend(versions.into_iter().rev());
    }
    if let Some(path) = std::env::var_os("PATH") {
        candidates.extend(std::env::split_paths(&path));
    }
    candidates
        .into_iter()
        .find(|dir| dir.join("initdb").exists() && dir.join("pg_ctl").exists())
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    listener.local_addr().expect("address").port()
}

impl Cluster {
    /// A new cluster, or None (said on stderr) when this machine cannot run one.
    pub fn start() -> Option<Cluster> {
        let required = std::env::var_os("LAJUR_PG_REQUIRED").is_some();
        let skip = |why: &str| {
            assert!(!required, "PostgreSQL is required here: {why}");
            eprintln!("dilewati (skipped): {why}");
            None
        };
        let Some(bin) = server_programs() else {
            return skip("PostgreSQL's server programs (initdb, pg_ctl) are not installed");
        };
        let run_as = if running_as_root() {
            if Command::new("id")
                .arg("postgres")
                .output()
                .is_ok_and(|o| o.status.success())
            {
                Some("postgres".to_string())
            } else {
                return skip("running as root and there is no 'postgres' user to run the server");
            }
        } else {
            None
        };
        let dir = tempfile::Builder::new()
            .prefix("lajur-pg-")
            .tempdir()
            .expect("temp");
        let cluster = Cluster {
            dir,
            bin,
            run_as,
            port: free_port(),
        };
        cluster.give_to_server_user(cluster.dir.path());
        let password_file = cluster.dir.path().join("sandi");
        std::fs::write(&password_file, SUPER_PASSWORD).expect("password file");
        cluster.give_to_server_user(&password_file);
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.display().to_string(),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                &format!("--pwfile={}", password_file.display()),
                "-E",
                "UTF8",
                "--locale=C",
            ],
        );
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
            cluster.port,
            cluster.dir.path().display()
        );
        cluster.run(
            "pg_ctl",
            &[
                "-D",
                &data.display().to_string(),
                "-o",
                &options,
                "-l",
                &cluster.dir.path().join("server.log").display().to_string(),
                "-w",
                "start",
            ],
        );
        Some(cluster)
    }

    /// One cluster for this whole test process (the office-server run of the
    /// records suite: a database per data folder), or None as `start` says.
    /// The PCs' role may connect from 127.0.0.1 without its password, as a
    /// PC whose password sits in its credential store does; a watchdog stops
    /// the server and removes its folder once this process is gone.
    pub fn for_this_process() -> Option<&'static Cluster> {
        static ONE: std::sync::OnceLock<Option<Cluster>> = std::sync::OnceLock::new();
        ONE.get_or_init(|| {
            let Some(cluster) = Cluster::start() else {
                eprintln!("the office-server run goes on with this PC's SQLite only");
                return None;
            };
            let data = cluster.data();
            let hba = data.join("pg_hba.conf");
            let rules = std::fs::read_to_string(&hba).expect("pg_hba.conf");
            std::fs::write(
                &hba,
                format!("host all {PC_ROLE} 127.0.0.1/32 trust\n{rules}"),
            )
            .expect("pg_hba.conf");
            cluster.run("pg_ctl", &["-D", &data.display().to_string(), "reload"]);
            cluster.watch_this_process();
            // The roles, made once before tests make databases side by side.
            cluster.office_database("kantor_pertama");
            Some(cluster)
        })
        .as_ref()
    }

    /// A shell that waits for this process to end, then stops the server
    /// and removes its folder (a static is never dropped). It outlives this
    /// process by design, so it is never waited for.
    #[allow(clippy::zombie_processes)]
    fn watch_this_process(&self) {
        let pg_ctl = self.bin.join("pg_ctl").display().to_string();
        let data = self.data().display().to_string();
        let stop = match &self.run_as {
            Some(user) => format!("runuser -u {user} -- {pg_ctl} -D {data} -m immediate stop"),
            None => format!("{pg_ctl} -D {data} -m immediate stop"),
        };
        let script = format!(
            "while kill -0 {pid} 2>/dev/null; do sleep 1; done; {stop}; rm -rf {dir}",
            pid = std::process::id(),
            dir = self.dir.path().display()
        );
        Command::new("sh")
            .args(["-c", &script])
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("the watchdog starts");
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn give_to_server_user(&self, path: &Path) {
        if let Some(user) = &self.run_as {
            let status = Command::new("chown")
                .args([&format!("{user}:"), &path.display().to_string()])
                .status()
                .expect("chown");
            assert!(status.success());
        }
    }

    fn run(&self, program: &str, args: &[&str]) {
        let exe = self.bin.join(program);
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        let out = command
            .args(args)
            .current_dir(self.dir.path())
            .output()
            .expect("server program runs");
        assert!(
            out.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Gives the server a new self-signed certificate (as an office's IT
    /// person would make one) and turns TLS on; returns the certificate's
    /// SHA-256 as Lajur keeps it.
    pub fn use_new_certificate(&self) -> String {
        let key = rcgen::KeyPair::generate().expect("key");
        let cert = rcgen::CertificateParams::new(vec!["localhost".into(), "127.0.0.1".into()])
            .expect("params")
            .self_signed(&key)
            .expect("certificate");
        let data = self.data();
        for (name, text) in [
            ("server.crt", cert.pem()),
            ("server.key", key.serialize_pem()),
        ] {
            let path = data.join(name);
            std::fs::write(&path, text).expect("written");
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))
                    .expect("private");
            }
            self.give_to_server_user(&path);
        }
        let conf = data.join("postgresql.conf");
        let mut text = std::fs::read_to_string(&conf).expect("conf");
        if !text.contains("\nssl = on") {
            text.push_str("\nssl = on\n");
            std::fs::write(&conf, text).expect("conf");
        }
        self.run("pg_ctl", &["-D", &data.display().to_string(), "reload"]);
        // The new certificate is read by the next connection's process.
        std::thread::sleep(std::time::Duration::from_millis(300));
        lajur_records::tls::fingerprint(cert.der())
    }

    /// Stops the server (switched off, cable pulled), then starts it again.
    pub fn stop(&self) {
        let data = self.data().display().to_string();
        self.run("pg_ctl", &["-D", &data, "-m", "fast", "-w", "stop"]);
    }

    pub fn start_again(&self) {
        let data = self.data().display().to_string();
        let options = format!(
            "-p {} -k {} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60",
            self.port,
            self.dir.path().display()
        );
        self.run(
            "pg_ctl",
            &[
                "-D",
                &data,
                "-o",
                &options,
                "-l",
                &self.dir.path().join("server.log").display().to_string(),
                "-w",
                "start",
            ],
        );
    }

    /// The address of a database as `user` with `password`.
    pub fn url(&self, user: &str, password: &str, database: &str) -> String {
        format!(
            "postgresql://{user}:{password}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// Runs SQL as the superuser (what an office's IT person does in psql).
    pub fn as_superuser(&self, database: &str, sql: &str) {
        let mut client = postgres::Client::connect(
            &self.url("postgres", SUPER_PASSWORD, database),
            postgres::NoTls,
        )
        .expect("superuser connects");
        client.batch_execute(sql).expect("superuser SQL");
    }

    /// A new database for an office, owned by its owner role, with the PCs'
    /// role able to connect: the README's steps.
    pub fn office_database(&self, name: &str) -> OfficeDatabase {
        self.as_superuser(
            "postgres",
            &format!(
                "DO $$ BEGIN
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{OWNER}') THEN
                     CREATE ROLE {OWNER} LOGIN PASSWORD '{OWNER_PASSWORD}';
                   END IF;
                   IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PC_ROLE}') THEN
                     CREATE ROLE {PC_ROLE} LOGIN PASSWORD '{PC_PASSWORD}';
                   END IF;
                 END $$;"
            ),
        );
        // CREATE DATABASE runs alone (not in the implicit transaction of a
        // batch).
        self.as_superuser("postgres", &format!("CREATE DATABASE {name} OWNER {OWNER}"));
        self.as_superuser(
            "postgres",
            &format!(
                "REVOKE ALL ON DATABASE {name} FROM PUBLIC;
                 GRANT CONNECT ON DATABASE {name} TO {PC_ROLE};"
            ),
        );
        OfficeDatabase {
            owner: self.url(OWNER, OWNER_PASSWORD, name),
            pc: self.url(PC_ROLE, PC_PASSWORD, name),
        }
    }
}

/// A disk of its own for part of the server (a tmpfs of a few megabytes
/// under a tablespace), to be filled up; unmounted when dropped.
pub struct SmallDisk {
    path: PathBuf,
}

impl SmallDisk {
    /// More room, as when the IT person frees space on the server's disk.
    pub fn grow(&self, megabytes: u32) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,size={megabytes}m")])
            .arg(&self.path)
            .status()
            .expect("mount");
        assert!(status.success(), "the small disk grows");
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        // Lazily: the server may still hold its files open.
        Command::new("umount")
            .arg("-l")
            .arg(&self.path)
            .status()
            .ok();
    }
}

impl Cluster {
    /// A tablespace `name` on a disk of `megabytes` of its own, and the
    /// database `database` moved onto it. None (said on stderr) where this
    /// process may not mount a disk (only root may).
    pub fn database_on_small_disk(
        &self,
        database: &str,
        name: &str,
        megabytes: u32,
    ) -> Option<SmallDisk> {
        let path = self.dir.path().join(name);
        std::fs::create_dir_all(&path).expect("mount point");
        let mounted = Command::new("mount")
            .args([
                "-t",
                "tmpfs",
                "-o",
                &format!("size={megabytes}m,mode=0700"),
                "tmpfs",
            ])
            .arg(&path)
            .output();
        if !mounted.as_ref().is_ok_and(|o| o.status.success()) {
            eprintln!(
                "dilewati (skipped): this process may not mount a small disk to fill ({})",
                mounted
                    .map(|o| String::from_utf8_lossy(&o.stderr).trim().to_string())
                    .unwrap_or_else(|e| e.to_string())
            );
            return None;
        }
        let disk = SmallDisk { path };
        self.give_to_server_user(&disk.path);
        self.as_superuser(
            "postgres",
            &format!(
                "CREATE TABLESPACE {name} LOCATION '{}'",
                disk.path.display()
            ),
        );
        self.as_superuser(
            "postgres",
            &format!("ALTER DATABASE {database} SET TABLESPACE {name}"),
        );
        Some(disk)
    }
}

pub struct OfficeDatabase {
    pub owner: String,
    pub pc: String,
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data().display().to_string();
        let exe = self.bin.join("pg_ctl");
        let mut command = match &self.run_as {
            Some(user) => {
                let mut c = Command::new("runuser");
                c.args(["-u", user, "--"]).arg(&exe);
                c
            }
            None => Command::new(&exe),
        };
        command
            .args(["-D", &data, "-m", "immediate", "stop"])
            .output()
            .ok();
    }
}

/// Who moves a PC's records to the office server, or points them at another
/// one: its administrator (None on a PC without users yet, which joins
/// without one).
pub fn administrator(store: &lajur_records::Store) -> Option<lajur_records::User> {
    store
        .users()
        .expect("users")
        .into_iter()
        .find(|u| u.is_admin && u.active)
}

impl Cluster {
    /// [`Cluster::office_database`], prepared for Lajur by its owner (the
    /// tables, the PC role's rights), as the IT person's `server init` does.
    pub fn prepared_office(&self, name: &str) -> OfficeDatabase {
        let db = self.office_database(name);
        let owner = lajur_records::server::Address::parse(&db.owner).expect("owner's address");
        lajur_records::server::prepare(&owner, PC_ROLE).expect("prepared");
        db
    }
}

/// Joins the data folder `dir` to the office's records at `url` as the PC
/// `pc`, by its administrator (none on a folder without users).
pub fn join_folder(dir: &std::path::Path, url: &str, pc: &str) {
    let mut store = lajur_records::Store::open(dir).expect("opens");
    let address = lajur_records::server::Address::parse(url).expect("address");
    store
        .join_office_server(administrator(&store).as_ref(), &address, pc)
        .expect("joined");
}
