//! A minimal Rocket 0.5 server answering `GET /` with a fixed page read once from a file.
//! Usage: rocket_ref PORT PAGE.html

use rocket::http::ContentType;
use rocket::{get, routes, State};

struct Page(Vec<u8>);

#[get("/")]
fn page(page: &State<Page>) -> (ContentType, Vec<u8>) {
    // A copy per request, as a handler that renders a page allocates its body.
    (ContentType::HTML, page.0.clone())
}

#[rocket::launch]
fn launch() -> _ {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args[1].parse().expect("port");
    let body = std::fs::read(&args[2]).expect("page file");
    let figment = rocket::Config::figment()
        .merge(("port", port))
        .merge(("address", "127.0.0.1"))
        .merge(("log_level", "off"));
    rocket::custom(figment)
        .manage(Page(body))
        .mount("/", routes![page])
}
