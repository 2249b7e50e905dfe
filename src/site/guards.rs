//! Request guards of the web layer that any area may take: the client's address and user agent.

/// The user agent recorded with a session, to help a user recognise their devices.
pub struct UserAgent(pub Option<String>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;
    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::request::Outcome::Success(UserAgent(
            req.headers().get_one("User-Agent").map(str::to_string),
        ))
    }
}

/// The client's address, as Rocket sees it (the socket, or the trusted proxy header).
pub struct ClientAddress(pub String);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for ClientAddress {
    type Error = std::convert::Infallible;
    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        let ip = req
            .client_ip()
            .map_or_else(|| "unknown".to_string(), |ip| ip.to_string());
        rocket::request::Outcome::Success(ClientAddress(ip))
    }
}
