fn main() {
    // The app links its own (bundled) SQLite; keep its symbols private so WebKitGTK and libsoup,
    // loaded into the same process, keep using the system's SQLite.
    println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    // The window's files are embedded at compile time: rebuild whenever trunk rebuilt them.
    println!("cargo:rerun-if-changed=../app/dist");
    tauri_build::build()
}
