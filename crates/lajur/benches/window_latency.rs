//! From an action (Selesai or a decision's answer, pressed from the keyboard
//! with Ctrl+1 as a clerk may) to the frame on the screen that shows the
//! next step: the real window (eframe), drawn by a software renderer (Mesa's
//! llvmpipe for OpenGL/glow, lavapipe or llvmpipe for wgpu) under Xvfb, the
//! kegiatan view of a 40-step SOP open, at 1366×768 and 1024×600. Each run
//! is its own process (a window's event loop can be made once per process).
//!
//! Measured per action: from the start of the frame that takes the key
//! press to the start of the frame after the one that first draws the
//! result (that frame has been painted and presented by then; frames are
//! asked for continuously and vsync is off). Also the idle frame time of the
//! same view. Without a display and without Xvfb, says so and measures
//! nothing.
//!
//! `cargo bench -p lajur --bench window_latency`

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use lajur::ui::LajurApp;
use lajur::ui::workspace::{Message, Place};
use lajur_core::locale::Lang;
use lajur_records::library::SopSource;
use lajur_records::{NewUser, Store};

const ACTIONS: usize = 25;
const WARM_UP_FRAMES: usize = 30;
/// Frames left idle between two actions (and measured as idle frames).
const IDLE_FRAMES: usize = 8;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        child(&args[at + 1..]);
        return;
    }
    let xvfb = match display() {
        Ok(xvfb) => xvfb,
        Err(reason) => {
            println!("window_latency: dilewati — {reason}");
            return;
        }
    };
    // Which OpenGL driver draws (llvmpipe is Mesa's software renderer).
    if let Ok(out) = Command::new("glxinfo")
        .arg("-B")
        .env("LIBGL_ALWAYS_SOFTWARE", "1")
        .envs(xvfb.as_ref().map(|x| ("DISPLAY", x.1)))
        .output()
    {
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            if line.contains("renderer string") {
                println!("glxinfo: {}", line.trim());
            }
        }
    }
    let template = tempfile::tempdir().expect("temp");
    records(template.path());
    println!(
        "{:<6} {:<10} {:>9} {:>9} {:>9} {:>9}  adapter",
        "render", "size", "idle p50", "act p50", "act p95", "act max"
    );
    for renderer in ["wgpu", "glow"] {
        for (w, h) in [(1366, 768), (1024, 600)] {
            let data = tempfile::tempdir().expect("temp");
            for name in ["lajur.db", "lajur.db-wal"] {
                let from = template.path().join(name);
                if from.exists() {
                    std::fs::copy(&from, data.path().join(name)).expect("copy");
                }
            }
            let out = data.path().join("hasil.txt");
            let status = Command::new(std::env::current_exe().expect("exe"))
                .args([
                    "--child",
                    renderer,
                    &w.to_string(),
                    &h.to_string(),
                    &data.path().display().to_string(),
                    &out.display().to_string(),
                ])
                // Software rendering, as on a PC without a GPU or over
                // Remote Desktop.
                .env("LIBGL_ALWAYS_SOFTWARE", "1")
                .envs(xvfb.as_ref().map(|x| ("DISPLAY", x.1)))
                .env("XDG_RUNTIME_DIR", template.path())
                .status()
                .expect("child runs");
            match std::fs::read_to_string(&out) {
                Ok(line) if status.success() => println!("{line}"),
                _ => println!("{renderer:<6} {w}x{h}: window did not run ({status})"),
            }
        }
    }
}

/// A display to draw on: the one there is, or Xvfb started here.
fn display() -> Result<Option<Xvfb>, String> {
    if std::env::var_os("DISPLAY").is_some() {
        return Ok(None);
    }
    let number = ":93";
    let process = Command::new("Xvfb")
        .args([number, "-screen", "0", "1400x800x24", "-nolisten", "tcp"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("tidak ada layar dan Xvfb tidak dapat dijalankan ({e})"))?;
    let socket = Path::new("/tmp/.X11-unix/X93");
    let deadline = Instant::now() + Duration::from_secs(10);
    while !socket.exists() {
        if Instant::now() > deadline {
            return Err("Xvfb tidak siap dalam 10 detik".into());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(Some(Xvfb(process, number)))
}

struct Xvfb(std::process::Child, &'static str);

impl Drop for Xvfb {
    fn drop(&mut self) {
        self.0.kill().ok();
        self.0.wait().ok();
    }
}

/// One clerk in every lane of a generated 40-step SOP, and five kegiatan of
/// it just started (the first is the one measured; the rest fill the lists).
fn records(dir: &Path) {
    let sop = lajur_core::sop::sample::generated(40, 6, 5, 7);
    let text = lajur_core::sop::format::write(&sop);
    let mut store = Store::open(dir).expect("store");
    let admin = store
        .create_user(
            None,
            NewUser {
                username: "admin".into(),
                name: "Admin".into(),
                password: "rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("admin");
    let user = store
        .create_user(
            Some(&admin),
            NewUser {
                username: "ani".into(),
                name: "Ani".into(),
                lanes: sop.lanes.iter().map(|l| l.id.0.clone()).collect(),
                password: "rahasia".into(),
                ..NewUser::default()
            },
        )
        .expect("user");
    for k in 0..5 {
        store
            .start_kegiatan(&user, &text, &format!("Bench {k}"), "")
            .expect("start");
    }
    // Everything in the database file itself: the copies take it whole.
    store
        .connection()
        .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
        .expect("checkpoint");
}

/// The window, driven: warm up, then press Ctrl+1 and time until the result
/// is on the screen, ACTIONS times.
struct Driver {
    app: LajurApp,
    out: PathBuf,
    renderer: String,
    size: String,
    adapter: Option<String>,
    frame: usize,
    last_frame_start: Option<Instant>,
    state: State,
    idle: Vec<Duration>,
    acts: Vec<Duration>,
    log_rows_before: i64,
}

fn log_rows(store: &Store) -> i64 {
    store
        .connection()
        .query_row("SELECT COUNT(*) FROM log", [], |r| r.get(0))
        .expect("count")
}

#[derive(Clone, Copy)]
enum State {
    WarmingUp,
    Idle(usize),
    /// The key press goes into the next frame's input.
    Press,
    /// Pressed at the start of this frame; the result not drawn yet.
    Waiting(Instant),
    /// The result was drawn in the frame that has just been presented.
    Shown(Instant),
    Done,
}

impl eframe::App for Driver {
    fn raw_input_hook(&mut self, _ctx: &egui::Context, raw: &mut egui::RawInput) {
        let now = Instant::now();
        if let Some(last) = self.last_frame_start
            && matches!(self.state, State::Idle(_))
        {
            self.idle.push(now - last);
        }
        self.last_frame_start = Some(now);
        self.frame += 1;
        match self.state {
            State::Shown(pressed) => {
                self.acts.push(now - pressed);
                self.state = if self.acts.len() == ACTIONS {
                    State::Done
                } else {
                    State::Idle(0)
                };
            }
            State::Press => {
                let ws = self.app.workspace().expect("records");
                self.log_rows_before = log_rows(ws.store());
                let ctrl = egui::Modifiers::COMMAND;
                for pressed in [true, false] {
                    raw.events.push(egui::Event::Key {
                        key: egui::Key::Num1,
                        physical_key: None,
                        pressed,
                        repeat: false,
                        modifiers: ctrl,
                    });
                }
                self.state = State::Waiting(now);
            }
            _ => {}
        }
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        if self.adapter.is_none() {
            self.adapter = Some(adapter_name(frame));
        }
        self.app.ui(ui);
        ui.ctx().request_repaint();
        let after_press = match self.state {
            State::Waiting(pressed) => self.frame_after_press(pressed),
            _ => false,
        };
        let ws = self.app.workspace_mut().expect("records");
        let written = log_rows(ws.store()) > self.log_rows_before;
        self.state = match self.state {
            State::WarmingUp if self.frame >= WARM_UP_FRAMES => State::Idle(0),
            State::Idle(n) if n >= IDLE_FRAMES => State::Press,
            State::Idle(n) => State::Idle(n + 1),
            // Drawn with the result in this frame (a quick answer is drawn
            // in the frame that took the key press).
            State::Waiting(pressed) if !ws.busy() && written => match ws.message() {
                Some(Message::Done(_)) => State::Shown(pressed),
                other => panic!("the action did not succeed: {other:?}"),
            },
            State::Waiting(_) if !ws.busy() && after_press => {
                panic!("the key press did nothing: {:?}", ws.message())
            }
            State::Done => {
                self.report();
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
                State::Done
            }
            State::Waiting(pressed) if pressed.elapsed() > Duration::from_secs(30) => {
                panic!("no result 30 s after the key press")
            }
            other => other,
        };
    }
}

impl Driver {
    /// Whether this frame is later than the one that took the key press (in
    /// that one the work is only asked for).
    fn frame_after_press(&self, pressed: Instant) -> bool {
        self.last_frame_start.is_some_and(|start| start > pressed)
    }

    fn report(&mut self) {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let pct = |v: &mut Vec<Duration>, p: f64| {
            v.sort();
            v.get(((v.len() as f64 - 1.0) * p).round() as usize)
                .copied()
                .unwrap_or_default()
        };
        let idle = pct(&mut self.idle, 0.5);
        let p50 = pct(&mut self.acts, 0.5);
        let p95 = pct(&mut self.acts, 0.95);
        let max = self.acts.last().copied().unwrap_or_default();
        let line = format!(
            "{:<6} {:<10} {:>7.1}ms {:>7.1}ms {:>7.1}ms {:>7.1}ms  {}",
            self.renderer,
            self.size,
            ms(idle),
            ms(p50),
            ms(p95),
            ms(max),
            self.adapter.clone().unwrap_or_default()
        );
        std::fs::write(&self.out, line).expect("result written");
    }
}

fn adapter_name(frame: &eframe::Frame) -> String {
    if let Some(state) = frame.wgpu_render_state() {
        let info = state.adapter.get_info();
        return format!("{} ({:?})", info.name, info.backend);
    }
    if frame.gl().is_some() {
        // (Which OpenGL driver: glxinfo's line printed beside the table.)
        return "OpenGL (glow)".into();
    }
    "?".into()
}

fn child(args: &[String]) {
    let [renderer, w, h, data, out] = args else {
        panic!("--child renderer w h data out");
    };
    let (w, h): (f32, f32) = (w.parse().expect("w"), h.parse().expect("h"));
    let mut app = LajurApp::new(Lang::Id, SopSource::Bundled);
    app.open_records(Path::new(data));
    {
        let ws = app.workspace_mut().expect("records");
        ws.sign_in("ani", "rahasia").expect("signed in");
        ws.go(Place::Kegiatan(1));
    }
    let driver = Driver {
        app,
        out: PathBuf::from(out),
        renderer: renderer.clone(),
        size: format!("{w}x{h}"),
        adapter: None,
        frame: 0,
        last_frame_start: None,
        state: State::WarmingUp,
        idle: Vec::new(),
        acts: Vec::new(),
        log_rows_before: 0,
    };
    let mut options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Lajur (ukur)")
            .with_inner_size([w, h]),
        renderer: match renderer.as_str() {
            "glow" => eframe::Renderer::Glow,
            _ => eframe::Renderer::Wgpu,
        },
        persist_window: false,
        ..Default::default()
    };
    // Every frame as soon as it is ready: what is measured is the work, not
    // a wait for the screen's refresh.
    options.glow_options.vsync = false;
    options.wgpu_options.surface.present_mode = eframe::wgpu::PresentMode::AutoNoVsync;
    eframe::run_native(
        "Lajur ukur",
        options,
        Box::new(move |_| Ok(Box::new(driver))),
    )
    .expect("window ran");
}
