//! The architecture as a test (ARCHITECTURE.md): the pure crates reach no UI,
//! PDF or SQL crate, not even through another crate; the crates depend only
//! downwards; and inside each crate no module leads back to itself through
//! the items it names.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every package each package depends on (normal, build and dev alike), from
/// Cargo.lock: name → names.
fn lock_graph() -> BTreeMap<String, BTreeSet<String>> {
    let text = std::fs::read_to_string(root().join("Cargo.lock")).expect("Cargo.lock");
    let lock: toml::Table = toml::from_str(&text).expect("Cargo.lock is TOML");
    let mut graph = BTreeMap::new();
    for package in lock["package"].as_array().expect("packages") {
        let name = package["name"].as_str().expect("name").to_string();
        let deps = package
            .get("dependencies")
            .and_then(|d| d.as_array())
            .map(|deps| {
                deps.iter()
                    .filter_map(|d| d.as_str())
                    .map(|d| d.split(' ').next().unwrap_or(d).to_string())
                    .collect()
            })
            .unwrap_or_default();
        graph.insert(name, deps);
    }
    graph
}

/// The normal dependencies a crate's manifest lists.
fn manifest_deps(krate: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(root().join(format!("crates/{krate}/Cargo.toml")))
        .expect("manifest");
    let manifest: toml::Table = toml::from_str(&text).expect("manifest is TOML");
    manifest
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|t| t.keys().cloned().collect())
        .unwrap_or_default()
}

/// Everything reachable from `start` through the manifest's own normal
/// dependencies, then Cargo.lock (which for registry crates lists only what
/// they build with).
fn reachable(krate: &str, graph: &BTreeMap<String, BTreeSet<String>>) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut todo: Vec<String> = manifest_deps(krate).into_iter().collect();
    while let Some(next) = todo.pop() {
        if seen.insert(next.clone())
            && let Some(deps) = graph.get(&next)
        {
            // A workspace crate's dev-dependencies are in the lock too; follow
            // only its manifest's normal ones.
            if next.starts_with("lajur") {
                todo.extend(manifest_deps(&next));
            } else {
                todo.extend(deps.iter().cloned());
            }
        }
    }
    seen
}

#[test]
fn the_pure_crates_reach_no_window_pdf_or_database() {
    let graph = lock_graph();
    for krate in ["lajur-core", "lajur-layout", "lajur-ooxml"] {
        let deps = reachable(krate, &graph);
        for forbidden in ["egui", "eframe", "wgpu", "printpdf", "rusqlite", "rfd"] {
            assert!(
                !deps.contains(forbidden),
                "{krate} reaches {forbidden}: {deps:?}"
            );
        }
    }
}

#[test]
fn crates_depend_only_downwards() {
    // Each crate may depend on those listed after it: app → paper, ooxml,
    // records, layout, core; paper, ooxml → layout, core; records → core;
    // layout → core.
    let allowed: [(&str, &[&str]); 6] = [
        ("lajur-core", &[]),
        ("lajur-layout", &["lajur-core"]),
        ("lajur-records", &["lajur-core"]),
        ("lajur-paper", &["lajur-core", "lajur-layout"]),
        ("lajur-ooxml", &["lajur-core", "lajur-layout"]),
        (
            "lajur",
            &[
                "lajur-core",
                "lajur-layout",
                "lajur-records",
                "lajur-paper",
                "lajur-ooxml",
            ],
        ),
    ];
    for (krate, may) in allowed {
        for dep in manifest_deps(krate)
            .into_iter()
            .filter(|d| d.starts_with("lajur"))
        {
            assert!(may.contains(&dep.as_str()), "{krate} depends on {dep}");
        }
    }
}

// ── module cycles ──

/// The source with test modules, comments and string contents removed.
fn strip(source: &str) -> String {
    let mut text = String::with_capacity(source.len());
    let mut rest = source;
    while let Some(at) = rest.find("#[cfg(test)]") {
        text.push_str(&rest[..at]);
        let after = &rest[at..];
        let Some(open) = after.find('{') else {
            rest = "";
            break;
        };
        let mut depth = 0;
        let mut end = after.len();
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = open + i + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    text.push_str(rest);
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' => {
                while let Some(d) = chars.next() {
                    if d == '\\' {
                        chars.next();
                    } else if d == '"' {
                        break;
                    }
                }
                out.push_str("\"\"");
            }
            '/' if chars.peek() == Some(&'/') => {
                for d in chars.by_ref() {
                    if d == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            _ => out.push(c),
        }
    }
    out
}

type Module = Vec<String>;

fn modules(src: &Path) -> BTreeMap<Module, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![src.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("source folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            if path.extension().is_none_or(|e| e != "rs") {
                continue;
            }
            let rel: Vec<String> = path
                .strip_prefix(src)
                .expect("inside src")
                .with_extension("")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            let name: Module = match rel.as_slice() {
                [only] if only == "main" => continue,
                [only] if only == "lib" => Vec::new(),
                [parent @ .., last] if last == "mod" => parent.to_vec(),
                all => all.to_vec(),
            };
            let text = std::fs::read_to_string(&path).expect("source");
            out.insert(name, strip(&text));
        }
    }
    out
}

/// The paths of a `use` tree, `a::{b, c::{d, e}}` → a::b, a::c::d, a::c::e.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim().trim_end_matches("::");
        let body = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
        let prefix = match (prefix.is_empty(), head.is_empty()) {
            (true, _) => head.to_string(),
            (false, true) => prefix.to_string(),
            (false, false) => format!("{prefix}::{head}"),
        };
        let mut depth = 0;
        let mut part = String::new();
        for c in body.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&part, &prefix, out);
                    part.clear();
                    continue;
                }
                _ => {}
            }
            part.push(c);
        }
        if !part.trim().is_empty() {
            expand(&part, &prefix, out);
        }
    } else {
        let path = tree.split(" as ").next().unwrap_or(tree).trim();
        if !path.is_empty() {
            out.push(if prefix.is_empty() {
                path.to_string()
            } else {
                format!("{prefix}::{path}")
            });
        }
    }
}

/// A path as written in module `at`, made absolute (crate-relative); `None`
/// when it names another crate.
fn absolute(at: &Module, path: &str, children: &BTreeSet<String>) -> Option<Module> {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    let (first, rest) = parts.split_first()?;
    let mut base: Module = match *first {
        "crate" => Vec::new(),
        "self" => at.clone(),
        "super" => {
            let mut base = at.clone();
            base.pop();
            let mut rest = rest;
            while rest.first() == Some(&"super") {
                base.pop();
                rest = &rest[1..];
            }
            base.extend(rest.iter().map(|s| s.to_string()));
            return Some(base);
        }
        child if children.contains(child) => {
            let mut base = at.clone();
            base.push(child.to_string());
            base
        }
        _ => return None,
    };
    base.extend(rest.iter().map(|s| s.to_string()));
    Some(base)
}

fn words(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.match_indices(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
        .scan(0, move |start, (at, sep)| {
            let word = (*start, &text[*start..at]);
            *start = at + sep.len();
            Some(word)
        })
}

fn module_cycles(src: &Path) -> Vec<Vec<Module>> {
    let mods = modules(src);
    let children = |m: &Module| -> BTreeSet<String> {
        mods.keys()
            .filter(|k| k.len() == m.len() + 1 && k.starts_with(m))
            .filter_map(|k| k.last().cloned())
            .collect()
    };
    // Re-exports: a facade's `pub use` leads to the module defining the item.
    let mut reexports: BTreeMap<Module, BTreeMap<String, Module>> = BTreeMap::new();
    let mut uses: BTreeMap<Module, Vec<Module>> = BTreeMap::new();
    for (name, text) in &mods {
        let kids = children(name);
        for statement in text.split(';') {
            let trimmed = statement.trim_start();
            let (public, tree) = if let Some(t) = trimmed.strip_prefix("pub use ") {
                (true, t)
            } else if let Some(t) = trimmed
                .strip_prefix("pub(crate) use ")
                .or_else(|| trimmed.strip_prefix("pub(super) use "))
            {
                (true, t)
            } else if let Some(t) = trimmed.strip_prefix("use ") {
                (false, t)
            } else {
                continue;
            };
            let mut paths = Vec::new();
            expand(tree, "", &mut paths);
            for p in paths {
                if let Some(abs) = absolute(name, &p, &kids) {
                    if public {
                        if let Some(last) = abs.last() {
                            reexports
                                .entry(name.clone())
                                .or_default()
                                .insert(last.clone(), abs.clone());
                        }
                    } else {
                        uses.entry(name.clone()).or_default().push(abs);
                    }
                }
            }
        }
        // Paths written inline (the `use` statements were read above).
        let inline: String = text
            .split(';')
            .filter(|st| {
                let t = st.trim_start();
                !(t.starts_with("use ")
                    || t.starts_with("pub use ")
                    || t.starts_with("pub(crate) use ")
                    || t.starts_with("pub(super) use "))
            })
            .collect::<Vec<_>>()
            .join(";");
        for (_, word) in words(&inline) {
            if word.contains("::")
                && let Some(abs) = absolute(name, word, &kids)
            {
                uses.entry(name.clone()).or_default().push(abs);
            }
        }
    }
    fn target(
        path: &[String],
        mods: &BTreeMap<Module, String>,
        reexports: &BTreeMap<Module, BTreeMap<String, Module>>,
        depth: usize,
    ) -> Module {
        for k in (0..=path.len()).rev() {
            let module: Module = path[..k].to_vec();
            if mods.contains_key(&module) {
                if let Some(next) = path.get(k)
                    && let Some(to) = reexports.get(&module).and_then(|r| r.get(next))
                    && depth < 20
                    && to.as_slice() != path
                {
                    let mut onward = to.clone();
                    onward.extend(path[k + 1..].iter().cloned());
                    return target(&onward, mods, reexports, depth + 1);
                }
                return module;
            }
        }
        Vec::new()
    }
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for name in mods.keys() {
        let edges = graph.entry(name.clone()).or_default();
        for path in uses.get(name).into_iter().flatten() {
            let to = target(path, &mods, &reexports, 0);
            if &to != name {
                edges.insert(to);
            }
        }
    }
    // Strongly connected components of more than one module (Tarjan).
    struct State {
        index: BTreeMap<Module, usize>,
        low: BTreeMap<Module, usize>,
        stack: Vec<Module>,
        on: BTreeSet<Module>,
        next: usize,
        found: Vec<Vec<Module>>,
    }
    fn visit(v: &Module, g: &BTreeMap<Module, BTreeSet<Module>>, s: &mut State) {
        s.index.insert(v.clone(), s.next);
        s.low.insert(v.clone(), s.next);
        s.next += 1;
        s.stack.push(v.clone());
        s.on.insert(v.clone());
        for w in g.get(v).into_iter().flatten() {
            if !g.contains_key(w) {
                continue;
            }
            if !s.index.contains_key(w) {
                visit(w, g, s);
                let low = s.low[v].min(s.low[w]);
                s.low.insert(v.clone(), low);
            } else if s.on.contains(w) {
                let low = s.low[v].min(s.index[w]);
                s.low.insert(v.clone(), low);
            }
        }
        if s.low[v] == s.index[v] {
            let mut component = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(&w);
                let done = &w == v;
                component.push(w);
                if done {
                    break;
                }
            }
            if component.len() > 1 {
                s.found.push(component);
            }
        }
    }
    let mut state = State {
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        next: 0,
        found: Vec::new(),
    };
    for v in graph.keys() {
        if !state.index.contains_key(v) {
            visit(v, &graph, &mut state);
        }
    }
    state.found
}

#[test]
fn no_module_leads_back_to_itself() {
    for krate in [
        "lajur-core",
        "lajur-layout",
        "lajur-records",
        "lajur-paper",
        "lajur-ooxml",
        "lajur",
    ] {
        let cycles = module_cycles(&root().join(format!("crates/{krate}/src")));
        assert!(cycles.is_empty(), "{krate}: module cycles {cycles:?}");
    }
}

/// The checker itself finds a cycle when there is one.
#[test]
fn the_cycle_check_sees_a_cycle() {
    let dir = tempfile::tempdir().expect("temp");
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("src");
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\n").expect("lib");
    std::fs::write(src.join("a.rs"), "use crate::b::B;\npub struct A;\n").expect("a");
    std::fs::write(src.join("b.rs"), "pub struct B(crate::a::A);\n").expect("b");
    assert_eq!(modules(&src).len(), 3);
    assert_eq!(module_cycles(&src).len(), 1);
    // Through a facade's re-export, a use of the parent's name is a use of
    // the child that defines it: no cycle.
    std::fs::write(src.join("lib.rs"), "mod a;\nmod b;\npub use a::A;\n").expect("lib");
    std::fs::write(src.join("b.rs"), "pub struct B(crate::A);\n").expect("b");
    std::fs::write(src.join("a.rs"), "pub struct A;\n").expect("a");
    assert!(module_cycles(&src).is_empty());
}
