//! `samlkit serve` in a real browser: headless Chromium, driven over WebDriver (chromedriver),
//! signs in to a service provider samlkit did not write (a small python3-saml web app,
//! `peers/python/sp_app.py`) SP-initiated and IdP-initiated; the SP's page shows the NameID and
//! attributes, read here from the DOM. Hostile deliveries (XSW3, expired, another request's
//! InResponseTo) chosen on the login page must be refused by the SP.
//!
//! The application is added at run time through the admin API, once the SP's port is known.
//! A screenshot of the login page is written to `target/serve-login.png`
//! (`UPDATE_SCREENSHOT=1` also copies it to `docs/serve-login.png`).

use crate::common::{peers_dir, python, workspace};
use fantoccini::{Client, ClientBuilder, Locator};
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const TOKEN: &str = "browser-test-token";

/// A child process, killed when dropped.
struct Running(Child, &'static str);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `command` and reads its stdout until a line holds `listening on URL`; the URL.
fn start(what: &'static str, mut command: Command) -> (Running, String) {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap_or_else(|e| panic!("{what} does not start: {e}"));
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let running = Running(child, what);
    let url = line
        .split("listening on ")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("{what} did not say where it listens: {line:?}"))
        .to_owned();
    // Keep reading (and dropping) what it prints, so it never blocks on a full pipe.
    std::thread::spawn(move || for _ in stdout.lines() {});
    (running, url)
}

/// The `samlkit` binary, built by cargo as the CLI member's tests build it.
fn samlkit_binary() -> PathBuf {
    let output = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "-p", "samlkit-cli", "--message-format=json"])
        .current_dir(workspace())
        .output()
        .expect("cargo runs");
    assert!(output.status.success(), "cargo build -p samlkit-cli: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|m| m["executable"].as_str().map(PathBuf::from))
        .find(|p| p.file_name().is_some_and(|n| n == "samlkit"))
        .expect("cargo names the samlkit executable")
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// chromedriver on a free port, once it answers.
fn chromedriver() -> (Running, String) {
    let port = free_port();
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver is needed (apt-get install chromium-driver)");
    let running = Running(child, "chromedriver");
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "chromedriver did not listen on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    (running, format!("http://127.0.0.1:{port}"))
}

async fn browser(webdriver: &str) -> Client {
    let mut capabilities = serde_json::Map::new();
    capabilities.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=900,900"]
        }),
    );
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(webdriver)
        .await
        .expect("a WebDriver session with headless Chromium")
}

/// What the SP's page shows after the ACS.
#[derive(Debug)]
struct SignedIn {
    name_id: String,
    /// The response's InResponseTo, as python3-saml read it.
    in_response_to: String,
    /// The request the browser's SP session started.
    request_id: String,
    relay_state: String,
    attributes: Vec<(String, String)>,
}

/// The SP's page after the ACS: Ok(what it shows) or Err(the SP's errors and reason).
async fn sp_outcome(browser: &Client) -> Result<SignedIn, String> {
    let shown = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("#name-id, #error"))
        .await
        .expect("the SP's page after the ACS");
    if shown.attr("id").await.unwrap().as_deref() == Some("error") {
        let reason = browser.find(Locator::Css("#reason")).await.unwrap().text().await.unwrap();
        return Err(format!("{}: {reason}", shown.text().await.unwrap()));
    }
    let text = |css: &'static str| async move { browser.find(Locator::Css(css)).await.unwrap().text().await.unwrap() };
    let mut attributes = Vec::new();
    for item in browser.find_all(Locator::Css("#attributes li")).await.unwrap() {
        attributes.push((item.attr("data-name").await.unwrap().unwrap_or_default(), item.text().await.unwrap()));
    }
    Ok(SignedIn {
        name_id: shown.text().await.unwrap(),
        in_response_to: text("#in-response-to").await,
        request_id: text("#request-id").await,
        relay_state: text("#relay-state").await,
        attributes,
    })
}

/// On the IdP's login page: chooses what to deliver, then clicks the user's button.
async fn sign_in_as(browser: &Client, user_id: &str, deliver: &str) {
    let select = browser
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css("select[name=deliver]"))
        .await
        .expect("the IdP's login page");
    select.select_by_value(deliver).await.unwrap();
    let button = format!("button[name=user][value=\"{user_id}\"]");
    browser.find(Locator::Css(&button)).await.unwrap().click().await.unwrap();
}

#[test]
fn chromium_signs_in_to_a_python3_saml_sp_through_samlkit_serve() {
    let samlkit = samlkit_binary();
    let mut serve = Command::new(&samlkit);
    serve.args(["serve", "--listen", "127.0.0.1:0", "--admin-token", TOKEN]).env("RUST_LOG", "warn");
    let (_idp, idp) = start("samlkit serve", serve);

    let mut sp_app = Command::new(python());
    sp_app.arg(peers_dir().join("python/sp_app.py")).arg(format!("{idp}/samlp/metadata/pysp"));
    let (_sp, sp) = start("the python3-saml SP", sp_app);

    // The SP as an application of the tenant, added at run time.
    let email = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress";
    let app = serde_json::json!({
        "client_id": "pysp",
        "name": "python3-saml SP",
        "callback": format!("{sp}/acs"),
        "settings": {
            "audience": format!("{sp}/metadata"),
            "signatureAlgorithm": "rsa-sha256",
            "digestAlgorithm": "sha256",
            "nameIdentifierFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress",
            "nameIdentifierProbes": [email]
        }
    });
    let added = reqwest::blocking::Client::new()
        .post(format!("{idp}/api/applications"))
        .bearer_auth(TOKEN)
        .json(&app)
        .send()
        .unwrap();
    assert_eq!(added.status(), 201, "{}", added.text().unwrap());

    let (_driver, webdriver) = chromedriver();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let browser = browser(&webdriver).await;

        // SP-initiated: the SP redirects to the IdP with an AuthnRequest; Alice signs in.
        browser.goto(&format!("{sp}/login")).await.unwrap();
        browser.wait().for_element(Locator::Css("select[name=deliver]")).await.unwrap();
        assert!(browser.current_url().await.unwrap().as_str().starts_with(&format!("{idp}/samlp/pysp?SAMLRequest=")));
        let png = browser.screenshot().await.unwrap();
        assert!(png.starts_with(b"\x89PNG"), "a PNG screenshot");
        let target = workspace().join("target/serve-login.png");
        std::fs::write(&target, &png).unwrap();
        if std::env::var_os("UPDATE_SCREENSHOT").is_some() {
            std::fs::write(workspace().join("docs/serve-login.png"), &png).unwrap();
        }
        sign_in_as(&browser, "auth0|demo-alice", "valid").await;
        let alice = sp_outcome(&browser).await.expect("python3-saml accepts the login");
        assert_eq!(alice.name_id, "alice@example.com");
        assert!(alice.request_id.starts_with("ONELOGIN_"), "SP-initiated: {alice:?}");
        assert_eq!(alice.in_response_to, alice.request_id, "the response answers the browser's own request");
        assert_eq!(alice.relay_state, "/profile");
        assert!(alice.attributes.contains(&(email.to_owned(), "alice@example.com".to_owned())), "{alice:?}");
        assert!(
            alice.attributes.iter().any(|(name, value)| name.ends_with("/claims/name") && value == "Alice Example"),
            "{alice:?}"
        );
        println!(
            "browser: SP-initiated login accepted by python3-saml: {}, {} attributes",
            alice.name_id,
            alice.attributes.len()
        );

        // IdP-initiated: from the IdP's link, Bob signs in; the SP takes it unsolicited.
        browser.goto(&format!("{idp}/samlp/pysp")).await.unwrap();
        sign_in_as(&browser, "auth0|demo-bob", "valid").await;
        let bob = sp_outcome(&browser).await.expect("python3-saml accepts the IdP-initiated login");
        assert_eq!(bob.name_id, "bob@example.com");
        assert_eq!((bob.in_response_to.as_str(), bob.request_id.as_str()), ("(unsolicited)", "(none)"));
        println!("browser: IdP-initiated login accepted by python3-saml: {}", bob.name_id);

        // Hostile deliveries: the SP must refuse each, for the reason the variant is about
        // (python3-saml 1.16's words).
        for (variant, because) in [
            ("xsw3", "must contain 1 assertion"),
            ("expired", "expired"),
            ("wrong-in-response-to", "does not match the ID of the AuthNRequest"),
            ("resigned-by-attacker", "Signature validation failed"),
        ] {
            browser.goto(&format!("{sp}/login")).await.unwrap();
            sign_in_as(&browser, "auth0|demo-alice", variant).await;
            match sp_outcome(&browser).await {
                Err(reason) => {
                    assert!(
                        reason.contains(because),
                        "python3-saml refused {variant}, but not because {because:?}: {reason}"
                    );
                    println!("browser: python3-saml refused {variant}: {reason}");
                }
                Ok(accepted) => panic!("python3-saml accepted the hostile variant {variant}: {accepted:?}"),
            }
        }
        browser.close().await.unwrap();
    });
}
