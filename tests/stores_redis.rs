//! The validator's shared state, in memory and on a real Redis: one suite for both stores, two
//! validator processes sharing one Redis, 8 threads x 10 000 assertions, a Redis stopped and
//! restarted under a running validator, and entries that expire.
//!
//! Needs the `redis` feature and `SAMLKIT_REDIS_URL` (`.ci/run` starts `redis-server` on a
//! loopback port); the stop-and-restart test starts its own `redis-server` on a free port.
//! `harness = false`: this file is its own runner, and the second validator process is this
//! test binary again, run with `SAMLKIT_STORE_PEER` set. A name on the command line runs the
//! tests whose names contain it.

use chrono::{DateTime, Duration, Utc};
use samlkit::error::StoreError;
use samlkit::validate::{
    InMemoryReplayCache, InMemoryRequestStore, RedisOptions, RedisReplayCache, RedisRequestStore, ReplayCache,
    RequestStore,
};
use samlkit::{AddonSettings, Certificate, Error, IdentityProvider, IdpKey, Validator};
use std::io::{BufRead as _, BufReader, Write as _};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Barrier};

const PEER: &str = "SAMLKIT_STORE_PEER";
const KEY: &[u8] = include_bytes!("../examples/data/demo-idp-key.pem");
const CERT: &[u8] = include_bytes!("../examples/data/demo-idp-cert.pem");
const ISSUER: &str = "urn:stores.example";

fn redis_url() -> String {
    std::env::var("SAMLKIT_REDIS_URL").expect("SAMLKIT_REDIS_URL names the Redis these tests use (.ci/run starts one)")
}

/// A key prefix of its own for each run, so runs never see each other's keys.
fn run_prefix() -> String {
    format!("samlkit-test:{}:{}:", std::process::id(), Utc::now().timestamp_micros())
}

fn idp() -> IdentityProvider {
    idp_for("https://sp.example")
}

/// The IdP, answering the SP whose entity ID is `audience` (at the same ACS URL).
fn idp_for(audience: &str) -> IdentityProvider {
    let mut settings = AddonSettings::default().with_callback_url("https://sp.example/acs").with_issuer(ISSUER);
    settings.audience = Some(audience.into());
    settings.signature_algorithm = samlkit::SignatureAlgorithm::RsaSha256;
    settings.digest_algorithm = samlkit::DigestAlgorithm::Sha256;
    IdentityProvider::new(settings, IdpKey::from_pem_or_der(KEY, CERT).unwrap()).unwrap()
}

/// A signed response for jane, answering `request` when given.
fn response(idp: &IdentityProvider, request: Option<&str>) -> String {
    let mut login = idp.respond(&serde_json::json!({"user_id": "auth0|jane", "email": "jane@example.com"}));
    if let Some(id) = request {
        login = login.in_response_to(id);
    }
    login.build().unwrap().xml
}

fn validator(replay: Arc<dyn ReplayCache>, requests: Arc<dyn RequestStore>) -> Validator {
    Validator::new("https://sp.example", "https://sp.example/acs", vec![Certificate::from_pem_or_der(CERT).unwrap()])
        .unwrap()
        .issuer(ISSUER)
        .allow_unsolicited(true)
        .replay_cache(replay)
        .request_store(requests)
}

/// What a validation gave, in a word: `ok`, a failure's or error's variant name.
fn verdict(result: Result<samlkit::VerifiedAssertion, Error>) -> String {
    match result {
        Ok(_) => "ok".into(),
        Err(Error::Validation(v)) => {
            let names: Vec<String> = v
                .failures
                .iter()
                .map(|f| format!("{f:?}").split([' ', '{', '(']).next().unwrap_or_default().to_owned())
                .collect();
            names.join(",")
        }
        Err(Error::Store(StoreError::Unavailable { .. })) => "StoreUnavailable".into(),
        Err(other) => format!("{other:?}"),
    }
}

/// The suite both stores pass: replays caught until expiry, the issuer in the key, expired
/// entries not kept; requests taken once, unknown and expired ones refused; and, through a
/// validator, a forged response that uses up nothing.
fn suite(replay: Arc<dyn ReplayCache>, requests: Arc<dyn RequestStore>, tag: &str) {
    let now = Utc::now();
    let later = now + Duration::minutes(5);
    let id = |n: &str| format!("_{tag}-{n}");
    assert!(replay.check_and_record(ISSUER, &id("a"), later, now).unwrap());
    assert!(!replay.check_and_record(ISSUER, &id("a"), later, now).unwrap(), "a replay");
    assert!(replay.check_and_record("urn:other-idp", &id("a"), later, now).unwrap(), "another issuer's ID");
    // Already expired: new, and not kept.
    assert!(replay.check_and_record(ISSUER, &id("b"), now, now).unwrap());
    assert!(replay.check_and_record(ISSUER, &id("b"), now + Duration::minutes(1), now).unwrap());
    // Kept until it expires, then forgotten.
    let soon = Utc::now() + Duration::milliseconds(300);
    assert!(replay.check_and_record(ISSUER, &id("c"), soon, Utc::now()).unwrap());
    assert!(!replay.check_and_record(ISSUER, &id("c"), soon, Utc::now()).unwrap());
    std::thread::sleep(std::time::Duration::from_millis(450));
    assert!(replay.check_and_record(ISSUER, &id("c"), Utc::now() + Duration::minutes(1), Utc::now()).unwrap());

    requests.remember(&id("r1"), later).unwrap();
    assert!(requests.take(&id("r1"), now).unwrap());
    assert!(!requests.take(&id("r1"), now).unwrap(), "taken twice");
    assert!(!requests.take(&id("never"), now).unwrap());
    requests.remember(&id("r2"), Utc::now() + Duration::milliseconds(300)).unwrap();
    std::thread::sleep(std::time::Duration::from_millis(450));
    assert!(!requests.take(&id("r2"), Utc::now()).unwrap(), "expired");

    // Through a validator.
    let idp = idp();
    let v = validator(replay, requests.clone());
    let unsolicited = response(&idp, None);
    assert_eq!(verdict(v.validate(&unsolicited)), "ok");
    assert_eq!(verdict(v.validate(&unsolicited)), "Replayed");
    requests.remember(&id("q"), Utc::now() + Duration::minutes(5)).unwrap();
    let answer = response(&idp, Some(&id("q")));
    // A forged copy (the NameID changed) is refused and uses up nothing; so is a response the
    // IdP did sign for this request, but for another SP.
    let forged = answer.replace("jane@example.com", "eve@example.com");
    assert_ne!(verdict(v.validate(&forged)), "ok");
    let other_sp = response(&idp_for("https://other-sp.example"), Some(&id("q")));
    assert_eq!(verdict(v.validate(&other_sp)), "Audience");
    assert_eq!(verdict(v.validate(&answer)), "ok");
    // Another response to the same request: the request is gone.
    assert_eq!(verdict(v.validate(&response(&idp, Some(&id("q"))))), "UnknownRequest");
    assert_eq!(verdict(v.validate(&response(&idp, Some(&id("never-sent"))))), "UnknownRequest");
}

fn same_suite_in_memory() {
    suite(Arc::new(InMemoryReplayCache::new(1000)), Arc::new(InMemoryRequestStore::new(1000)), "memory");
}

fn same_suite_on_redis() {
    let options = RedisOptions::default().prefix(run_prefix());
    suite(
        Arc::new(RedisReplayCache::new(&redis_url(), options.clone()).unwrap()),
        Arc::new(RedisRequestStore::new(&redis_url(), options).unwrap()),
        "redis",
    );
}

/// The second process: a validator on the Redis and prefix of its environment, answering
/// `validate NAME XML-IN-BASE64` with `NAME VERDICT`, one line each.
fn peer() {
    let options = RedisOptions::default().prefix(std::env::var("SAMLKIT_STORE_PREFIX").unwrap());
    let v = validator(
        Arc::new(RedisReplayCache::new(&redis_url(), options.clone()).unwrap()),
        Arc::new(RedisRequestStore::new(&redis_url(), options).unwrap()),
    );
    let mut out = std::io::stdout();
    for line in std::io::stdin().lock().lines() {
        let line = line.unwrap();
        let mut parts = line.split(' ');
        let (Some("validate"), Some(name), Some(b64)) = (parts.next(), parts.next(), parts.next()) else {
            panic!("peer: unknown command {line}");
        };
        writeln!(out, "{name} {}", verdict(v.validate(b64))).unwrap();
        out.flush().unwrap();
    }
}

struct Peer {
    child: Child,
    stdout: BufReader<std::process::ChildStdout>,
}

impl Peer {
    fn start(prefix: &str) -> Peer {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(PEER, "1")
            .env("SAMLKIT_STORE_PREFIX", prefix)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = BufReader::new(child.stdout.take().unwrap());
        Peer { child, stdout }
    }

    fn validate(&mut self, name: &str, xml: &str) -> String {
        let b64 = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, xml);
        writeln!(self.child.stdin.as_mut().unwrap(), "validate {name} {b64}").unwrap();
        let mut line = String::new();
        self.stdout.read_line(&mut line).unwrap();
        line.trim_end().strip_prefix(&format!("{name} ")).unwrap_or_else(|| panic!("peer said {line:?}")).to_owned()
    }
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn two_processes_share_one_redis() {
    let prefix = run_prefix();
    let options = RedisOptions::default().prefix(prefix.clone());
    let requests = Arc::new(RedisRequestStore::new(&redis_url(), options.clone()).unwrap());
    let here = validator(Arc::new(RedisReplayCache::new(&redis_url(), options).unwrap()), requests.clone());
    let mut there = Peer::start(&prefix);
    let idp = idp();

    // A response accepted there is a replay here.
    let first = response(&idp, None);
    assert_eq!(there.validate("first", &first), "ok");
    assert_eq!(verdict(here.validate(&first)), "Replayed");
    // And the other way round.
    let second = response(&idp, None);
    assert_eq!(verdict(here.validate(&second)), "ok");
    assert_eq!(there.validate("second", &second), "Replayed");

    // A request remembered here is taken there, once.
    requests.remember("_shared-request", Utc::now() + Duration::minutes(5)).unwrap();
    assert_eq!(there.validate("answer", &response(&idp, Some("_shared-request"))), "ok");
    assert_eq!(verdict(here.validate(&response(&idp, Some("_shared-request")))), "UnknownRequest");
    assert_eq!(there.validate("again", &response(&idp, Some("_shared-request"))), "UnknownRequest");
}

/// 8 threads x 10 000 distinct IDs: each thread records its own (all new), then checks the next
/// thread's (all replays); then all 8 race on the same 2 000 IDs: exactly one wins each.
fn threads(cache: Arc<dyn ReplayCache>, tag: &str) {
    const THREADS: usize = 8;
    const EACH: usize = 10_000;
    let barrier = Arc::new(Barrier::new(THREADS));
    let now = Utc::now();
    let expires = now + Duration::minutes(10);
    let results: Vec<(usize, usize, usize)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..THREADS)
            .map(|t| {
                let (cache, barrier) = (cache.clone(), barrier.clone());
                scope.spawn(move || {
                    let id = |owner: usize, n: usize| format!("_{tag}-{owner}-{n}");
                    let false_replays = (0..EACH)
                        .filter(|&n| !cache.check_and_record(ISSUER, &id(t, n), expires, now).unwrap())
                        .count();
                    barrier.wait();
                    let missed = (0..EACH)
                        .filter(|&n| cache.check_and_record(ISSUER, &id((t + 1) % THREADS, n), expires, now).unwrap())
                        .count();
                    barrier.wait();
                    let won = (0..2_000)
                        .filter(|&n| cache.check_and_record(ISSUER, &format!("_{tag}-race-{n}"), expires, now).unwrap())
                        .count();
                    (false_replays, missed, won)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let false_replays: usize = results.iter().map(|r| r.0).sum();
    let missed: usize = results.iter().map(|r| r.1).sum();
    let won: usize = results.iter().map(|r| r.2).sum();
    assert_eq!(false_replays, 0, "new IDs reported as replays");
    assert_eq!(missed, 0, "replays not caught");
    assert_eq!(won, 2_000, "each raced ID is new for exactly one thread");
}

fn eight_threads_in_memory() {
    threads(Arc::new(InMemoryReplayCache::new(200_000)), "memory");
}

fn eight_threads_on_redis() {
    let prefix = run_prefix();
    threads(Arc::new(RedisReplayCache::new(&redis_url(), RedisOptions::default().prefix(prefix)).unwrap()), "redis");
}

/// A `redis-server` of this test's own, on `port`, until dropped.
struct OwnRedis(Child);

impl OwnRedis {
    fn start(port: u16) -> OwnRedis {
        let child = Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(Stdio::null())
            .spawn()
            .expect("redis-server is needed (apt-get install redis-server)");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(std::time::Instant::now() < deadline, "redis-server did not listen on {port}");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        OwnRedis(child)
    }
}

impl Drop for OwnRedis {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn redis_stopped_mid_run_fails_closed_and_recovers() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("redis://127.0.0.1:{port}/");
    let options = RedisOptions::default()
        .prefix(run_prefix())
        .timeouts(std::time::Duration::from_millis(300), std::time::Duration::from_millis(300));
    let requests = Arc::new(RedisRequestStore::new(&url, options.clone()).unwrap());
    let v = validator(Arc::new(RedisReplayCache::new(&url, options).unwrap()), requests.clone());
    let idp = idp();

    // Down before the first use: refused, not accepted.
    assert_eq!(verdict(v.validate(&response(&idp, None))), "StoreUnavailable");
    let redis = OwnRedis::start(port);
    assert_eq!(verdict(v.validate(&response(&idp, None))), "ok");
    requests.remember("_before-the-stop", Utc::now() + Duration::minutes(5)).unwrap();

    drop(redis);
    for _ in 0..3 {
        assert_eq!(verdict(v.validate(&response(&idp, None))), "StoreUnavailable");
    }
    assert_eq!(verdict(v.validate(&response(&idp, Some("_before-the-stop")))), "StoreUnavailable");
    assert!(matches!(
        requests.remember("_x", Utc::now() + Duration::minutes(5)),
        Err(StoreError::Unavailable { store: "request store", .. })
    ));
    let error = v.validate(&response(&idp, None)).unwrap_err();
    assert!(error.to_string().starts_with("store: the replay cache is unavailable"), "{error}");

    // Back (empty, as a restarted Redis without persistence is): the same validator works.
    let redis = OwnRedis::start(port);
    assert_eq!(verdict(v.validate(&response(&idp, None))), "ok");
    // Several pooled connections outlive a restart: the first validation after it still works.
    let responses: Vec<String> = (0..8).map(|_| response(&idp, None)).collect();
    std::thread::scope(|scope| {
        for xml in &responses {
            let v = &v;
            scope.spawn(move || assert_eq!(verdict(v.validate(xml)), "ok"));
        }
    });
    drop(redis);
    let _redis = OwnRedis::start(port);
    assert_eq!(verdict(v.validate(&response(&idp, None))), "ok");
    let replayed = response(&idp, None);
    assert_eq!(verdict(v.validate(&replayed)), "ok");
    assert_eq!(verdict(v.validate(&replayed)), "Replayed");
}

fn redis_cli(url: &str, args: &[&str]) -> String {
    let out = Command::new("redis-cli").args(["-u", url]).args(args).output().expect("redis-cli runs");
    assert!(out.status.success(), "redis-cli {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap().trim().to_owned()
}

fn entries_expire_in_redis() {
    let url = redis_url();
    let options = RedisOptions::default().prefix(run_prefix());
    let cache = RedisReplayCache::new(&url, options.clone()).unwrap();
    let now: DateTime<Utc> = Utc::now();
    // Kept exactly as long as the assertion could be accepted.
    assert!(cache.check_and_record(ISSUER, "_ttl", now + Duration::seconds(90), now).unwrap());
    let ttl: i64 = redis_cli(&url, &["PTTL", &cache.key(ISSUER, "_ttl")]).parse().unwrap();
    assert!((89_000..=90_000).contains(&ttl), "PTTL {ttl}");
    // An assertion whose NotOnOrAfter (plus skew) has passed is not kept at all.
    assert!(cache.check_and_record(ISSUER, "_expired", now - Duration::seconds(1), now).unwrap());
    assert_eq!(redis_cli(&url, &["EXISTS", &cache.key(ISSUER, "_expired")]), "0");
    // Requests expire at their expiry.
    let requests = RedisRequestStore::new(&url, options).unwrap();
    requests.remember("_pending", Utc::now() + Duration::seconds(60)).unwrap();
    let ttl: i64 = redis_cli(&url, &["PTTL", &requests.key("_pending")]).parse().unwrap();
    assert!((58_000..=60_000).contains(&ttl), "PTTL {ttl}");
    requests.remember("_past", Utc::now() - Duration::seconds(1)).unwrap();
    assert_eq!(redis_cli(&url, &["EXISTS", &requests.key("_past")]), "0");
    // Keys are the prefix and a hash: a hostile ID cannot make a long key.
    let long = "x".repeat(100_000);
    assert!(cache.key(ISSUER, &long).len() < 200);
    assert!(RedisReplayCache::new("not a url", RedisOptions::default()).is_err());
}

fn main() {
    if std::env::var_os(PEER).is_some() {
        return peer();
    }
    let tests: [(&str, fn()); 7] = [
        ("same_suite_in_memory", same_suite_in_memory),
        ("same_suite_on_redis", same_suite_on_redis),
        ("two_processes_share_one_redis", two_processes_share_one_redis),
        ("eight_threads_in_memory", eight_threads_in_memory),
        ("eight_threads_on_redis", eight_threads_on_redis),
        ("redis_stopped_mid_run_fails_closed_and_recovers", redis_stopped_mid_run_fails_closed_and_recovers),
        ("entries_expire_in_redis", entries_expire_in_redis),
    ];
    let filter = std::env::args().skip(1).find(|a| !a.starts_with('-'));
    let mut failed = Vec::new();
    for (name, test) in tests {
        if filter.as_deref().is_some_and(|f| !name.contains(f)) {
            continue;
        }
        let start = std::time::Instant::now();
        let outcome = std::panic::catch_unwind(test);
        let took = start.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => println!("test {name} ... ok ({took:.2} s)"),
            Err(_) => {
                println!("test {name} ... FAILED ({took:.2} s)");
                failed.push(name);
            }
        }
    }
    if !failed.is_empty() {
        println!("failed: {}", failed.join(", "));
        std::process::exit(1);
    }
}
