//! A minimal axum server answering `GET /` with a fixed page read once from a file.
//! Usage: axum_ref PORT PAGE.html

use std::sync::Arc;

use axum::http::header;
use axum::routing::get;
use axum::Router;

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port: u16 = args[1].parse().expect("port");
    let body: Arc<Vec<u8>> = Arc::new(std::fs::read(&args[2]).expect("page file"));
    let app = Router::new().route(
        "/",
        get(move || {
            let body = body.clone();
            async move {
                (
                    [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                    body.as_ref().clone(),
                )
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
        .await
        .expect("bind");
    axum::serve(listener, app).await.expect("serve");
}
