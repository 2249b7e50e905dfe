//! Debian's headless Chromium driven through ChromeDriver with `fantoccini` (WebDriver), behind
//! a small blocking facade so the browser tests read like what a person does. The tests that
//! use it are `#[ignore = "needs chromium and chromium-driver"]`: `cargo test` lists them as
//! ignored, and `.ci/run` installs both packages and runs them with `--include-ignored`.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};

use crate::smtp::free_port;

pub struct Chrome {
    runtime: tokio::runtime::Runtime,
    client: Option<Client>,
    driver: Child,
}

/// Starts ChromeDriver and a headless Chromium session; panics, saying what to install, when
/// either is missing.
pub fn start() -> Chrome {
    let driver_path = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists())
        .expect("chromedriver not found: `apt-get install chromium chromium-driver`");
    let port = free_port();
    let mut driver = Command::new(driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    // ChromeDriver says on its standard output when it listens.
    let mut out = BufReader::new(driver.stdout.take().expect("chromedriver's output"));
    let mut line = String::new();
    loop {
        line.clear();
        let n = out
            .read_line(&mut line)
            .expect("read chromedriver's output");
        assert!(n > 0, "chromedriver exited before it started");
        if line.contains("started successfully") {
            break;
        }
    }
    // Keep draining its output so it never blocks on a full pipe.
    std::thread::spawn(move || std::io::copy(&mut out, &mut std::io::sink()));

    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime for WebDriver");
    let capabilities = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": [
                "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--window-size=1280,900"
            ]
        }
    });
    let Value::Object(capabilities) = capabilities else {
        unreachable!()
    };
    let connector = hyper_util::client::legacy::connect::HttpConnector::new();
    let client = runtime
        .block_on(
            ClientBuilder::new(connector)
                .capabilities(capabilities)
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .unwrap_or_else(|e| panic!("no WebDriver session: {e}"));
    Chrome {
        runtime,
        client: Some(client),
        driver,
    }
}

impl Chrome {
    fn client(&self) -> &Client {
        self.client.as_ref().expect("a WebDriver session")
    }

    fn block<T, E: std::fmt::Display>(
        &self,
        what: &str,
        work: impl std::future::Future<Output = Result<T, E>>,
    ) -> T {
        match self.runtime.block_on(work) {
            Ok(v) => v,
            Err(e) => {
                let at = self
                    .runtime
                    .block_on(self.client().current_url())
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                panic!("WebDriver {what} on {at}: {e}")
            }
        }
    }

    fn element(&self, css: &str) -> Element {
        self.block(css, self.client().find(Locator::Css(css)))
    }

    pub fn goto(&self, url: &str) {
        self.block("goto", self.client().goto(url));
    }

    pub fn url(&self) -> String {
        self.block("url", self.client().current_url()).to_string()
    }

    pub fn source(&self) -> String {
        self.block("source", self.client().source())
    }

    pub fn count(&self, css: &str) -> usize {
        self.block(css, self.client().find_all(Locator::Css(css)))
            .len()
    }

    pub fn text(&self, css: &str) -> String {
        let e = self.element(css);
        self.block(css, e.text())
    }

    /// Types into a field (after clearing it); a file input takes a path.
    pub fn fill(&self, css: &str, text: &str) {
        let e = self.element(css);
        let kind = self.block(css, e.attr("type"));
        if kind.as_deref() != Some("file") {
            self.block(css, e.clear());
        }
        self.block(css, e.send_keys(text));
    }

    pub fn select(&self, css: &str, value: &str) {
        self.click(&format!("{css} option[value='{value}']"));
    }

    pub fn click(&self, css: &str) {
        let e = self.element(css);
        self.block(css, e.click());
    }

    /// Clicks a button that loads another page, and waits until that page is there: the old
    /// document is marked first, and the wait ends when the root element is one without it.
    pub fn submit(&self, css: &str) {
        self.run("document.documentElement.dataset.comptoirOld = '1'; return null");
        self.click(css);
        self.block(
            &format!("a new page after clicking {css}"),
            self.client()
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css("html:not([data-comptoir-old])")),
        );
    }

    /// Waits for a button with this text (one a script of the page adds), clicks it, and waits
    /// until that click has loaded another page.
    pub fn click_button_then_new_page(&self, text: &str) {
        self.run("document.documentElement.dataset.comptoirOld = '1'; return null");
        let xpath = format!("//button[normalize-space(.)='{text}']");
        let button = self.block(
            text,
            self.client()
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::XPath(&xpath)),
        );
        self.block(text, button.click());
        self.block(
            &format!("a new page after clicking {text}"),
            self.client()
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css("html:not([data-comptoir-old])")),
        );
    }

    /// Waits (20 s at most) until an element matching `css` is in the page (one that a script
    /// of the page adds).
    pub fn wait_for(&self, css: &str) {
        self.block(
            css,
            self.client()
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::Css(css)),
        );
    }

    /// The window's size (in headless Chromium, the viewport's).
    pub fn resize(&self, width: u32, height: u32) {
        self.block("resize", self.client().set_window_size(width, height));
    }

    /// A PNG of what the window shows.
    pub fn screenshot(&self) -> Vec<u8> {
        self.block("screenshot", self.client().screenshot())
    }

    /// Sets a cookie for the current page's site (as the page's own script could).
    pub fn set_cookie(&self, name: &str, value: &str) {
        self.run(&format!(
            "document.cookie = '{name}={value}; path=/'; return null"
        ));
    }

    /// Runs an asynchronous script (it calls its last argument with the result) and returns
    /// what it gave.
    pub fn run_async(&self, script: &str) -> Value {
        self.block("script", self.client().execute_async(script, Vec::new()))
    }

    /// Runs a script in the page (the test's own, not the shop's) and returns its value.
    pub fn run(&self, script: &str) -> Value {
        self.block("script", self.client().execute(script, Vec::new()))
    }
}

impl Drop for Chrome {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            let _ = self.runtime.block_on(client.close());
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
