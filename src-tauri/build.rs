fn main() {
    // The app links its own (bundled) SQLite; keep its symbols private so WebKitGTK and libsoup,
    // loaded into the same process, keep using the system's SQLite.
    println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    tauri_build::build()
}
