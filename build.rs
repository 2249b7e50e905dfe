//! Rebuilds when a migration changes: they are embedded in the binary (`db::*_MIGRATIONS`).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
