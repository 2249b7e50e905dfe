//! The command line: serve the shop, migrate, seed the demo catalogue, create an admin.

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use rocket::figment::Figment;

use comptoir::accounts::model as accounts;
use comptoir::auth::password::{Hasher, MAX_LEN, MIN_LEN};
use comptoir::auth::{new_token, Keys, Role};
use comptoir::config::{self, Settings};
use comptoir::db::{self, DbConn};
use comptoir::{app, seed};

#[derive(Parser)]
#[command(name = "comptoir", version, about = "An online shop in one binary")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Apply migrations, then serve the shop (ROCKET_ADDRESS, ROCKET_PORT, DATABASE_URL).
    Serve {
        /// Seed the demo catalogue and a staff account into an empty database.
        #[arg(long)]
        demo: bool,
    },
    /// Apply pending migrations and exit.
    Migrate,
    /// Write the demo catalogue into a database that has no products yet.
    SeedDemo {
        /// Then add generated products until the shop holds this many (for benchmarks).
        #[arg(long)]
        products: Option<usize>,
    },
    /// Create an administrator; the password is read from standard input.
    CreateAdmin {
        #[arg(long)]
        email: String,
    },
    /// Copies the live shop (SQLite database, pictures, secret) into a new folder.
    Backup { path: std::path::PathBuf },
    /// Replaces the shop's database and files with a backup (stop the shop first).
    Restore { path: std::path::PathBuf },
}

fn database_url(figment: &Figment) -> Result<String, String> {
    figment
        .extract_inner("databases.comptoir.url")
        .map_err(|e| format!("no database URL: {e}"))
}

fn open(figment: &Figment) -> Result<DbConn, String> {
    db::connect_and_migrate(&database_url(figment)?)
}

fn hasher(figment: &Figment) -> Result<Hasher, String> {
    let settings: Settings = figment.extract().map_err(|e| e.to_string())?;
    let keys = Keys::new(settings.secret_bytes()?);
    let pepper = match &settings.password_pepper {
        Some(p) => p.as_bytes().to_vec(),
        None => keys.derive("password-pepper"),
    };
    Ok(Hasher::new(settings.bcrypt_cost, pepper, 1))
}

/// Seeds an empty shop and returns the staff login to print, once.
fn seed_demo_shop(figment: &Figment) -> Result<Option<(String, String)>, String> {
    let mut conn = open(figment)?;
    let products =
        comptoir::catalog::model::count_products(&mut conn).map_err(|e| e.to_string())?;
    if products > 0 {
        return Ok(None);
    }
    let n = seed::seed_demo(&mut conn)?;
    seed::demo_pictures(&mut conn)?;
    seed::demo_sale(&mut conn)?;
    seed::demo_facts(&mut conn)?;
    seed::demo_shipping(&mut conn)?;
    seed::demo_owner_facts(&mut conn)?;
    println!("Seeded the demo catalogue: {n} products, shipping by weight and zone.");
    if accounts::find_by_email(&mut conn, seed::DEMO_STAFF_EMAIL)
        .map_err(|e| e.to_string())?
        .is_some()
    {
        return Ok(None);
    }
    let password: String = new_token().0.chars().take(20).collect();
    let hash = hasher(figment)?
        .hash_blocking(&password)
        .map_err(|e| e.to_string())?;
    let id = accounts::create(
        &mut conn,
        seed::DEMO_STAFF_EMAIL,
        &hash,
        Role::Admin,
        "Demo admin",
        None,
    )
    .map_err(|e| e.to_string())?;
    accounts::mark_verified(&mut conn, id).map_err(|e| e.to_string())?;
    seed::demo_discounts(&mut conn, id)?;
    Ok(Some((seed::DEMO_STAFF_EMAIL.to_string(), password)))
}

fn create_admin(figment: &Figment, email: &str) -> Result<(), String> {
    let mut password = String::new();
    std::io::stdin()
        .read_to_string(&mut password)
        .map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let password = password.trim_end_matches(['\r', '\n']);
    let len = password.chars().count();
    if !(MIN_LEN..=MAX_LEN).contains(&len) {
        return Err(format!(
            "the password must have {MIN_LEN} to {MAX_LEN} characters"
        ));
    }
    if !email.contains('@') {
        return Err("that is not an email address".into());
    }
    let hash = hasher(figment)?
        .hash_blocking(password)
        .map_err(|e| e.to_string())?;
    let mut conn = open(figment)?;
    let id = accounts::create(&mut conn, email, &hash, Role::Admin, "", None)
        .map_err(|e| e.to_string())?;
    accounts::mark_verified(&mut conn, id).map_err(|e| e.to_string())?;
    println!("Administrator {email} created.");
    Ok(())
}

async fn serve(figment: Figment, demo: bool) -> Result<(), String> {
    let settings: Settings = figment.extract().map_err(|e| e.to_string())?;
    comptoir::ops::logs::init(&settings)?;
    if demo {
        if let Some((email, password)) = seed_demo_shop(&figment)? {
            println!("\n  Staff login (shown once): {email} / {password}\n");
        }
    }
    let shop = app::build(figment)?;
    let tasks = shop.state::<comptoir::site::tasks::Tasks>().cloned();
    let launched = shop.launch().await;
    // Requests are finished (or the grace ran out); now the background tasks' rounds.
    if let Some(tasks) = tasks {
        let grace = std::time::Duration::from_secs(settings.shutdown_grace_secs.into());
        let left = tasks.finish(grace).await;
        if left > 0 {
            tracing::warn!("{left} background task(s) still busy after the grace period");
        } else {
            tracing::info!("background tasks stopped");
        }
    }
    launched.map(|_| ()).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<(), String> {
    let figment = config::figment(rocket::Config::figment())?;
    match cli.command.unwrap_or(Command::Serve { demo: false }) {
        Command::Serve { demo } => rocket::execute(serve(figment, demo)),
        Command::Migrate => {
            open(&figment)?;
            println!("Migrations applied.");
            Ok(())
        }
        Command::SeedDemo { products } => {
            let mut conn = open(&figment)?;
            let n = seed::seed_demo(&mut conn)?;
            let drawn = seed::demo_pictures(&mut conn)?;
            seed::demo_sale(&mut conn)?;
            seed::demo_facts(&mut conn)?;
            println!("Seeded the demo catalogue: {n} products, {drawn} pictures.");
            if let Some(total) = products {
                let added = seed::pad_catalogue(&mut conn, total)?;
                println!("Added {added} generated products.");
            }
            Ok(())
        }
        Command::CreateAdmin { email } => create_admin(&figment, &email),
        Command::Backup { path } => {
            let settings: Settings = figment.extract().map_err(|e| e.to_string())?;
            let url = database_url(&figment)?;
            if db::Backend::of_url(&url) == db::Backend::Postgres {
                return Err(comptoir::ops::backup::PG_ADVICE.to_string());
            }
            let mut conn = db::connect(&url).map_err(|e| e.to_string())?;
            let s = comptoir::ops::backup::backup(&mut conn, &settings.data_dir, &path)?;
            println!(
                "Backup in {}: {} orders, {} products, {} picture files.",
                path.display(),
                s.orders,
                s.products,
                s.pictures
            );
            Ok(())
        }
        Command::Restore { path } => {
            let settings: Settings = figment.extract().map_err(|e| e.to_string())?;
            let s = comptoir::ops::backup::restore(
                &path,
                &database_url(&figment)?,
                &settings.data_dir,
            )?;
            println!(
                "Restored from {}: {} orders, {} products, {} picture files.",
                path.display(),
                s.orders,
                s.products,
                s.pictures
            );
            Ok(())
        }
    }
}

fn main() -> ExitCode {
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("comptoir: {e}");
            ExitCode::FAILURE
        }
    }
}
