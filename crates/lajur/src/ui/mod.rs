//! The window. Views read state, draw it and turn clicks into calls on the core;
//! no rule about SOPs lives here.

pub mod app;
pub mod desk;
pub mod flowchart;
pub mod home;
pub mod kegiatan;
pub mod office;
pub mod painter;
pub mod shelf;
pub mod sop_editor;
pub mod sop_library;
pub mod theme;
pub mod users;
pub mod widgets;
pub mod worker;
pub mod workspace;

use std::process::ExitCode;

use lajur_core::locale::Lang;
use lajur_records::library::SopSource;

pub use app::LajurApp;

/// Which way of drawing the window to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RendererChoice {
    /// The one that worked last time, else wgpu, falling back to OpenGL.
    #[default]
    Auto,
    /// OpenGL through glow: old drivers, some remote-desktop sessions.
    Glow,
    /// wgpu: Direct3D 12, Vulkan or Metal (and a software adapter when there is no GPU).
    Wgpu,
}

impl RendererChoice {
    pub fn from_code(code: &str) -> Option<RendererChoice> {
        match code.trim().to_lowercase().as_str() {
            "auto" | "otomatis" => Some(RendererChoice::Auto),
            "glow" | "opengl" | "gl" => Some(RendererChoice::Glow),
            "wgpu" => Some(RendererChoice::Wgpu),
            _ => None,
        }
    }
}

/// The file in the data folder remembering the renderer that last worked.
pub const RENDERER_FILE: &str = "renderer.txt";

fn renderer_name(r: eframe::Renderer) -> &'static str {
    match r {
        eframe::Renderer::Glow => "glow",
        eframe::Renderer::Wgpu => "wgpu",
    }
}

/// The renderers to try, in order: the one asked for alone, or the one that
/// worked last time first and then the other.
pub fn renderer_order(choice: RendererChoice, remembered: Option<&str>) -> Vec<eframe::Renderer> {
    use eframe::Renderer::{Glow, Wgpu};
    match choice {
        RendererChoice::Glow => vec![Glow],
        RendererChoice::Wgpu => vec![Wgpu],
        RendererChoice::Auto => match remembered.map(str::trim) {
            Some("glow") => vec![Glow, Wgpu],
            _ => vec![Wgpu, Glow],
        },
    }
}

/// Opens the main window and runs until it is closed.
pub fn run_window(
    lang: Lang,
    explicit_lang: bool,
    source: SopSource,
    data: std::path::PathBuf,
    renderer: RendererChoice,
) -> ExitCode {
    // The log and the crash reports live in the data folder; a folder that
    // cannot be written still lets the window open (the store says why).
    if let Err(e) = lajur_records::reports::FileLog::install(&data) {
        eprintln!("Log Lajur tidak dapat ditulis di {}: {e}", data.display());
    }
    lajur_records::reports::install_panic_reports(&data);
    log::info!(
        "Lajur {} dimulai; data: {}",
        env!("CARGO_PKG_VERSION"),
        data.display()
    );
    let crash_report = lajur_records::reports::unseen_report(&data);
    let remembered = std::fs::read_to_string(data.join(RENDERER_FILE)).ok();
    let order = renderer_order(renderer, remembered.as_deref());
    let mut last_error = None;
    for (attempt, renderer) in order.iter().copied().enumerate() {
        if attempt > 0 {
            log::warn!("mencoba cara menggambar lain: {}", renderer_name(renderer));
        }
        match run_with(
            renderer,
            lang,
            explicit_lang,
            source.clone(),
            data.clone(),
            crash_report.clone(),
        ) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => {
                log::error!(
                    "jendela tidak dapat dibuka dengan {}: {e}",
                    renderer_name(renderer)
                );
                last_error = Some(format!("{} ({e})", renderer_name(renderer)));
            }
        }
    }
    eprintln!(
        "Jendela Lajur tidak dapat dibuka: {}\n\
         (The Lajur window could not be opened.) Coba `lajur --renderer glow` atau \
         `lajur --renderer wgpu`; perintah baris seperti `lajur check` tetap dapat dipakai.",
        last_error.unwrap_or_default()
    );
    ExitCode::FAILURE
}

/// The renderer to try first next time: the one that worked, except wgpu
/// drawing on the CPU outside Windows (Mesa's lavapipe): there Mesa's
/// OpenGL (llvmpipe) draws the same window about five times faster (the
/// `window_latency` benchmark: 21 against 120 ms a frame at 1366×768). On
/// Windows the software adapter is WARP, and OpenGL without a GPU driver is
/// too old for the window: wgpu stays.
fn next_renderer(renderer: eframe::Renderer, cc: &eframe::CreationContext) -> eframe::Renderer {
    let on_cpu = cc
        .wgpu_render_state
        .as_ref()
        .is_some_and(|s| s.adapter.get_info().device_type == eframe::wgpu::DeviceType::Cpu);
    if on_cpu && cfg!(not(windows)) {
        log::info!("wgpu menggambar dengan CPU; mulai berikutnya mencoba OpenGL (glow) dahulu");
        eframe::Renderer::Glow
    } else {
        renderer
    }
}

fn run_with(
    renderer: eframe::Renderer,
    lang: Lang,
    explicit_lang: bool,
    source: SopSource,
    data: std::path::PathBuf,
    crash_report: Option<std::path::PathBuf>,
) -> Result<(), eframe::Error> {
    let mut viewport = egui::ViewportBuilder::default();
    // The icon is ours (packaging/linux/lajur.svg rendered); a damaged one only
    // leaves the system's default.
    if let Ok(icon) =
        eframe::icon_data::from_png_bytes(include_bytes!("../../../../assets/icons/lajur-256.png"))
    {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport: viewport
            .with_title("Lajur")
            .with_inner_size([1200.0, 760.0])
            .with_min_inner_size([640.0, 400.0]),
        renderer,
        ..Default::default()
    };
    eframe::run_native(
        "Lajur",
        options,
        Box::new(move |cc| {
            // The window and its renderer are up: remember what worked.
            // Remembering is a convenience: failing to, the next start tries again.
            let next = next_renderer(renderer, cc);
            if let Err(e) = std::fs::create_dir_all(&data)
                .and_then(|()| std::fs::write(data.join(RENDERER_FILE), renderer_name(next)))
            {
                log::warn!("{RENDERER_FILE} tidak dapat ditulis: {e}");
            }
            log::info!("jendela dibuka dengan {}", renderer_name(renderer));
            let mut app = LajurApp::new(lang, source);
            app.open_records(&data);
            if let Some(remembered) = app::remembered_in(cc.storage) {
                app.restore(&remembered);
                // A language chosen on the command line wins over the last run's.
                if explicit_lang {
                    app.set_lang(lang);
                }
            }
            if let Some(report) = crash_report {
                app.offer_crash_report(report);
            }
            Ok(Box::new(app))
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use eframe::Renderer::{Glow, Wgpu};

    #[test]
    fn renderers_are_tried_in_order_and_a_forced_one_alone() {
        assert_eq!(renderer_order(RendererChoice::Auto, None), [Wgpu, Glow]);
        assert_eq!(
            renderer_order(RendererChoice::Auto, Some("glow\n")),
            [Glow, Wgpu]
        );
        assert_eq!(
            renderer_order(RendererChoice::Auto, Some("wgpu")),
            [Wgpu, Glow]
        );
        assert_eq!(renderer_order(RendererChoice::Glow, Some("wgpu")), [Glow]);
        assert_eq!(renderer_order(RendererChoice::Wgpu, None), [Wgpu]);
        assert_eq!(
            RendererChoice::from_code("OpenGL"),
            Some(RendererChoice::Glow)
        );
        assert_eq!(RendererChoice::from_code("vulkan"), None);
    }
}
