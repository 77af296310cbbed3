//! `guide serve`: the real binary on 127.0.0.1:0 with the demo project and
//! a register in a temporary folder, spoken to over plain HTTP/1.1 (a
//! small client below, no dependency): logging in, issuing, looking up by
//! a short number, the second visit, logging out; what is refused; the API.

mod common;
mod pg;

use common::{TODAY_EPOCH, bin, demo};
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

/// 2026-06-01 10:00 Beijing time: the notices' clock in every test.
const NOW: &str = "1780279200";
const PASSWORD: &str = "correct-horse-battery";

/// `guide ARGS` with the register of `dir`, the clock at [`NOW`], and
/// `stdin` as standard input.
fn guide(dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    let mut c = Command::new(bin())
        .args(["--project"])
        .arg(demo())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
        .env("GUIDE_TEST_NOW", NOW)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    c.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    c.wait_with_output().unwrap()
}

struct Server {
    child: Child,
    addr: String,
    dir: tempfile::TempDir,
    _copy: Option<tempfile::TempDir>,
}

/// Copies the folder `from` into `to`.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

impl Server {
    /// A server on the demo with a new register holding a clerk (李娜, B12)
    /// and a supervisor (王主任).
    fn start() -> Server {
        Server::start_on(&demo())
    }

    /// Like [`Server::start`] on a copy of the demo (in `project/` of the
    /// server's folder), to be changed while it runs.
    fn start_on_copy() -> Server {
        let copy = tempfile::tempdir().unwrap();
        let project = copy.path().join("project");
        copy_dir(&demo(), &project);
        let mut s = Server::start_on(&project);
        s._copy = Some(copy);
        s
    }

    fn project(&self) -> PathBuf {
        self._copy.as_ref().unwrap().path().join("project")
    }

    fn start_on(project: &Path) -> Server {
        Server::start_with(project, &[])
    }

    fn start_with(project: &Path, flags: &[&str]) -> Server {
        Server::start_at(project, flags, None)
    }

    /// Like [`Server::start_with`], with the register at `register` (a
    /// database's URL; accounts added once, by the first hall).
    fn start_at(project: &Path, flags: &[&str], register: Option<&str>) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("notices.db");
        let db = register.unwrap_or(file.to_str().unwrap());
        for (name, extra) in [
            ("李娜", ["--window", "B12", "--role", "clerk"]),
            ("王主任", ["--window", "A1", "--role", "supervisor"]),
        ] {
            let mut args = vec![
                "serve",
                "--register",
                db,
                "--new-register",
                "user",
                "add",
                name,
            ];
            args.extend(extra);
            let out = guide(dir.path(), &args, &format!("{PASSWORD}\n"));
            let again = String::from_utf8_lossy(&out.stderr).contains("已有名为");
            assert!(
                out.status.success() || (register.is_some() && again),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        let mut child = Command::new(bin())
            .arg("--project")
            .arg(project)
            .args(["serve", "--bind", "127.0.0.1:0"])
            .args(if flags.contains(&"--preview") {
                vec![]
            } else {
                vec!["--register", db]
            })
            .args(flags)
            .env("NO_COLOR", "1")
            .env("SOURCE_DATE_EPOCH", TODAY_EPOCH)
            .env("GUIDE_TEST_NOW", NOW)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let addr = line
            .trim()
            .strip_prefix("http://")
            .or_else(|| line.trim().strip_prefix("https://"))
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("no address on stdout: {line:?}"))
            .to_owned();
        Server {
            child,
            addr,
            dir,
            _copy: None,
        }
    }

    fn browser(&self) -> Browser {
        Browser {
            addr: self.addr.clone(),
            cookies: BTreeMap::new(),
        }
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("notices.db")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The value of the hidden field `name` of the page's first form with one.
    fn hidden(&self, name: &str) -> String {
        let text = self.text();
        let at = format!("name=\"{name}\" value=\"");
        let i = text
            .find(&at)
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            + at.len();
        text[i..].split('"').next().unwrap().to_owned()
    }
}

/// One HTTP/1.1 request on a new connection.
fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: &[u8],
) -> Response {
    let mut s = TcpStream::connect(addr).unwrap();
    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    s.write_all(head.as_bytes()).unwrap();
    s.write_all(body).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8(raw[..split].to_vec()).unwrap();
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let mut body = raw[split + 4..].to_vec();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    if chunked {
        let mut out = Vec::new();
        let mut rest = &body[..];
        loop {
            let nl = rest.windows(2).position(|w| w == b"\r\n").unwrap();
            let n = usize::from_str_radix(std::str::from_utf8(&rest[..nl]).unwrap().trim(), 16)
                .unwrap();
            if n == 0 {
                break;
            }
            out.extend_from_slice(&rest[nl + 2..nl + 2 + n]);
            rest = &rest[nl + 4 + n..];
        }
        body = out;
    }
    Response {
        status,
        headers,
        body,
    }
}

fn form(pairs: &[(&str, &str)]) -> Vec<u8> {
    let enc = |s: &str| -> String {
        s.bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect()
    };
    pairs
        .iter()
        .map(|(k, v)| format!("{}={}", enc(k), enc(v)))
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// A browser: keeps the cookies the server sets.
struct Browser {
    addr: String,
    cookies: BTreeMap<String, String>,
}

impl Browser {
    fn send(
        &mut self,
        method: &str,
        path: &str,
        mut headers: Vec<(&str, String)>,
        body: &[u8],
    ) -> Response {
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            headers.push(("Cookie", c.join("; ")));
        }
        let r = request(&self.addr, method, path, &headers, body);
        for (k, v) in &r.headers {
            if k.eq_ignore_ascii_case("set-cookie") {
                let (kv, attrs) = v.split_once(';').unwrap_or((v, ""));
                let (name, value) = kv.split_once('=').unwrap();
                if attrs.contains("Max-Age=0") {
                    self.cookies.remove(name);
                } else {
                    self.cookies.insert(name.to_owned(), value.to_owned());
                }
            }
        }
        r
    }

    fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, vec![], b"")
    }

    fn post(&mut self, path: &str, pairs: &[(&str, &str)]) -> Response {
        let ct = (
            "Content-Type",
            "application/x-www-form-urlencoded".to_owned(),
        );
        self.send("POST", path, vec![ct], &form(pairs))
    }

    fn login(&mut self, name: &str, password: &str) -> Response {
        let page = self.get("/desk/login");
        let token = page.hidden("login");
        self.post(
            "/desk/login",
            &[("login", &token), ("name", name), ("password", password)],
        )
    }

    /// Logged in as `name`; the session's CSRF token.
    fn logged_in(&mut self, name: &str) -> String {
        let r = self.login(name, PASSWORD);
        assert_eq!(r.status, 303, "{}", r.text());
        assert_eq!(r.header("location"), Some("/desk/"));
        self.get("/desk/").hidden("csrf")
    }
}

/// The passport for a renewal: 居民身份证 missing, the form defective.
fn issue_passport(b: &mut Browser, csrf: &str) -> Response {
    b.post(
        "/desk/matter/passport",
        &[
            ("csrf", csrf),
            ("situation", "renew"),
            ("missing", "1"),
            ("defect", "2"),
            ("reason2", "申请人签名不清"),
            ("applicant", "张三"),
            ("phone", "13800000000"),
        ],
    )
}

fn enc_path(s: &str) -> String {
    String::from_utf8(form(&[("x", s)])).unwrap()[2..].to_owned()
}

#[test]
fn the_public_site_is_served_without_login_and_without_citizen_data() {
    let s = Server::start();
    let mut b = s.browser();
    let index = b.get("/");
    assert_eq!(index.status, 200);
    assert!(
        index
            .header("content-type")
            .unwrap()
            .starts_with("text/html")
    );
    assert!(
        b.get("/matters/passport.html")
            .text()
            .contains("普通护照签发")
    );
    assert_eq!(b.get("/assets/style.css").status, 200);
    assert_eq!(b.get("/no-such-page.html").status, 404);
    // After a notice is issued, no public path shows it.
    let mut clerk = s.browser();
    let csrf = clerk.logged_in("李娜");
    assert_eq!(issue_passport(&mut clerk, &csrf).status, 303);
    for path in [
        "/",
        "/matters/passport.html",
        "/matters/passport/notice.html",
    ] {
        let t = b.get(path).text();
        assert!(!t.contains("张三") && !t.contains("13800000000"), "{path}");
    }
}

#[test]
fn a_clerk_logs_in_issues_looks_up_by_short_number_records_the_visit_and_logs_out() {
    let s = Server::start();
    let mut b = s.browser();
    // Not logged in: to the login page.
    let r = b.get("/desk/");
    assert_eq!((r.status, r.header("location")), (303, Some("/desk/login")));
    let csrf = b.logged_in("李娜");
    let cookie = b.cookies.get("guide_session").cloned().unwrap();
    assert_eq!(cookie.len(), 64);
    // The matter by its Chinese name.
    let found = b.get(&format!("/desk/find?q={}", enc_path("护照")));
    assert_eq!(
        (found.status, found.header("location")),
        (303, Some("/desk/matter/passport"))
    );
    let page = b.get("/desk/matter/passport?situation=renew");
    assert!(page.text().contains("居民身份证"), "{}", page.text());
    // Issue: the number, shown large.
    let r = issue_passport(&mut b, &csrf);
    assert_eq!(r.status, 303, "{}", r.text());
    let to = r.header("location").unwrap().to_owned();
    assert!(
        to.starts_with("/desk/notice/") && to.ends_with("?issued=1"),
        "{to}"
    );
    let shown = b.get(&to).text();
    assert!(shown.contains("class=\"number\""), "{shown}");
    assert!(shown.contains("已出具并登记"));
    assert!(shown.contains("张三") && shown.contains("申请人签名不清"));
    let number = s.number(1);
    assert!(shown.contains(&number), "{shown}");
    // The PDF, opened for printing.
    let pdf = b.get(&format!("/desk/notice/{}/pdf", enc_path(&number)));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    // Second visit: by the short number.
    for short in ["1", "0001"] {
        let r = b.get(&format!("/desk/lookup?number={short}"));
        assert_eq!(r.status, 303, "{short}");
        assert_eq!(
            r.header("location").unwrap(),
            format!("/desk/notice/{}", enc_path(&number))
        );
    }
    let page = b.get(&format!("/desk/notice/{}", enc_path(&number)));
    assert!(page.text().contains("数据版本"));
    // 已补正 with only one of the two brought is refused …
    let visit = format!("/desk/notice/{}/visit", enc_path(&number));
    let r = b.post(
        &visit,
        &[("csrf", &csrf), ("brought", "1"), ("result", "已补正")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("还没有带来"));
    // … both brought is recorded.
    let r = b.post(
        &visit,
        &[
            ("csrf", &csrf),
            ("brought", "1"),
            ("brought", "2"),
            ("result", "已补正"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = b.get(r.header("location").unwrap()).text();
    assert!(
        page.contains("来办已登记") && page.contains("已补正"),
        "{page}"
    );
    // The command line sees the visit too.
    let show = guide(
        s.dir.path(),
        &[
            "notice",
            "--register",
            s.db().to_str().unwrap(),
            "show",
            "1",
        ],
        "",
    );
    assert!(String::from_utf8_lossy(&show.stdout).contains("已补正"));
    // Logout ends the session: the old cookie opens nothing.
    let r = b.post("/desk/logout", &[("csrf", &csrf)]);
    assert_eq!((r.status, r.header("location")), (303, Some("/desk/login")));
    let mut thief = s.browser();
    thief.cookies.insert("guide_session".into(), cookie);
    assert_eq!(thief.get("/desk/").status, 303);
}

impl Server {
    /// The printed number of the `seq`-th notice, as the register has it.
    fn number(&self, seq: u32) -> String {
        let out = guide(
            self.dir.path(),
            &["notice", "--register", self.db().to_str().unwrap(), "list"],
            "",
        );
        let list = String::from_utf8(out.stdout).unwrap();
        list.lines()
            .nth(seq as usize - 1)
            .unwrap_or_else(|| panic!("no notice {seq}: {list}"))
            .split('\t')
            .next()
            .unwrap()
            .to_owned()
    }
}

#[test]
fn the_pdf_is_byte_for_byte_what_guide_notice_prints() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    assert_eq!(issue_passport(&mut b, &csrf).status, 303);
    let number = s.number(1);
    let served = b
        .get(&format!("/desk/notice/{}/pdf", enc_path(&number)))
        .body;
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("cli.pdf");
    let db = dir.path().join("notices.db");
    let cli = guide(
        dir.path(),
        &[
            "notice",
            "passport",
            "--situation",
            "renew",
            "--missing",
            "1",
            "--defect",
            "2=申请人签名不清",
            "--applicant",
            "张三",
            "--phone",
            "13800000000",
            "--window",
            "B12",
            "--clerk",
            "李娜",
            "--register",
            db.to_str().unwrap(),
            "--new-register",
            "-o",
            out.to_str().unwrap(),
        ],
        "",
    );
    assert!(
        cli.status.success(),
        "{}",
        String::from_utf8_lossy(&cli.stderr)
    );
    assert!(std::fs::read(&out).unwrap() == served, "the PDFs differ");
}

#[test]
fn a_wrong_password_is_refused_and_repeated_failures_hold_the_account() {
    let s = Server::start();
    let mut b = s.browser();
    let r = b.login("李娜", "wrong-password-1");
    assert_eq!(r.status, 401);
    assert!(r.text().contains("账号或密码不对"));
    assert!(!b.cookies.contains_key("guide_session"));
    for _ in 0..4 {
        b.login("李娜", "wrong-password-1");
    }
    // Held now, even with the right password.
    let r = b.login("李娜", PASSWORD);
    assert_eq!(r.status, 401);
    assert!(r.text().contains("登录失败次数过多"), "{}", r.text());
    // Another account is not held.
    let mut other = s.browser();
    other.logged_in("王主任");
}

#[test]
fn a_login_without_the_login_forms_token_is_refused() {
    let s = Server::start();
    let mut b = s.browser();
    let r = b.post(
        "/desk/login",
        &[
            ("login", "forged"),
            ("name", "李娜"),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(r.status, 403);
    assert!(!b.cookies.contains_key("guide_session"));
}

#[test]
fn the_session_cookie_is_httponly_strict_and_for_the_desk_only() {
    let s = Server::start();
    let mut b = s.browser();
    let page = b.get("/desk/login");
    let token = page.hidden("login");
    let r = b.post(
        "/desk/login",
        &[("login", &token), ("name", "李娜"), ("password", PASSWORD)],
    );
    let set = r
        .headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("guide_session="))
        .map(|(_, v)| v.clone())
        .unwrap();
    assert!(
        set.contains("HttpOnly") && set.contains("SameSite=Strict") && set.contains("Path=/desk"),
        "{set}"
    );
    assert!(
        !set.contains("Secure"),
        "plain HTTP without --secure-cookies"
    );
}

#[test]
fn without_login_nothing_of_the_desk_opens() {
    let s = Server::start();
    let mut clerk = s.browser();
    let csrf = clerk.logged_in("李娜");
    issue_passport(&mut clerk, &csrf);
    let number = enc_path(&s.number(1));
    let mut b = s.browser();
    for path in [
        "/desk/".to_owned(),
        "/desk/find?q=x".into(),
        "/desk/matter/passport".into(),
        "/desk/lookup?number=1".into(),
        "/desk/search?text=%E5%BC%A0".into(),
        format!("/desk/notice/{number}"),
        format!("/desk/notice/{number}/pdf"),
        "/desk/audit".into(),
        "/desk/status".into(),
        "/desk/stats".into(),
        "/desk/stats.csv".into(),
    ] {
        let r = b.get(&path);
        assert_eq!(
            (r.status, r.header("location")),
            (303, Some("/desk/login")),
            "{path}"
        );
        assert!(!r.text().contains("张三"));
    }
    let r = b.post(
        "/desk/matter/passport",
        &[("csrf", &csrf), ("missing", "1"), ("applicant", "李四")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(s.count(), 1, "nothing issued");
}

impl Server {
    fn count(&self) -> usize {
        let out = guide(
            self.dir.path(),
            &["notice", "--register", self.db().to_str().unwrap(), "list"],
            "",
        );
        String::from_utf8(out.stdout).unwrap().lines().count()
    }
}

#[test]
fn a_forged_csrf_token_is_refused_and_nothing_is_issued() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    let forged: String = csrf.chars().rev().collect();
    let r = issue_passport(&mut b, &forged);
    assert_eq!(r.status, 403);
    assert!(r.text().contains("CSRF"));
    let r = issue_passport(&mut b, "");
    assert_eq!(r.status, 403);
    assert_eq!(s.count(), 0);
    // Logout with a forged token does not log out.
    assert_eq!(b.post("/desk/logout", &[("csrf", &forged)]).status, 403);
    assert_eq!(b.get("/desk/").status, 200);
}

#[test]
fn every_post_of_the_desk_refuses_a_missing_or_forged_csrf_token() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    assert_eq!(issue_passport(&mut b, &csrf).status, 303);
    let forged: String = csrf.chars().rev().collect();
    let posts: Vec<&str> = guide::serve::routes()
        .into_iter()
        .filter(|(path, method, _)| guide::serve::needs_csrf(path, method))
        .map(|(path, _, _)| path)
        .collect();
    // The desk's forms: issue, visit, reprint, logout at least.
    assert!(posts.len() >= 4, "{posts:?}");
    for route in posts {
        let path = route.replace("{id}", "passport").replace("{number}", "1");
        for token in [None, Some(""), Some(forged.as_str())] {
            let mut pairs = vec![
                ("situation", "renew"),
                ("missing", "1"),
                ("applicant", "李四"),
                ("result", "已受理"),
            ];
            if let Some(t) = token {
                pairs.push(("csrf", t));
            }
            let r = b.post(&path, &pairs);
            assert_eq!(r.status, 403, "{path} {token:?}: {}", r.text());
            assert!(r.text().contains("CSRF"), "{path}");
        }
        // Without a session at all, the same.
        let mut stranger = s.browser();
        assert_eq!(
            stranger.post(&path, &[("csrf", &csrf)]).status,
            403,
            "{path}"
        );
    }
    // Nothing was done: one notice, no visit, still logged in.
    assert_eq!(s.count(), 1);
    let page = b.get("/desk/notice/1");
    assert_eq!(page.status, 303);
    let page = b.get(page.header("location").unwrap());
    assert!(!page.text().contains("来办记录"), "{}", page.text());
}

#[test]
fn a_scanned_desk_code_opens_its_notice_and_another_address_is_refused() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    assert_eq!(issue_passport(&mut b, &csrf).status, 303);
    let number = enc_path("乌政服告〔2026〕1号");
    // What the notice's desk code encodes (guide.yaml: notice.desk_url),
    // typed by a scanner into the number box; or this server's own address.
    for scanned in [
        "https://dating.example.gov.cn/desk/n/2026-1".to_owned(),
        "HTTPS://DATING.EXAMPLE.GOV.CN/desk/n/2026-1".to_owned(),
        format!("http://{}/desk/n/2026-1", s.addr),
    ] {
        let r = b.get(&format!("/desk/lookup?number={}", enc_path(&scanned)));
        assert_eq!(r.status, 303, "{scanned}: {}", r.text());
        assert_eq!(
            r.header("location").unwrap(),
            format!("/desk/notice/{number}")
        );
    }
    // Opened directly (a phone's camera on the clerk's side).
    let r = b.get("/desk/n/2026-1");
    assert_eq!(
        r.header("location").unwrap(),
        format!("/desk/notice/{number}")
    );
    // Another site, or not a notice's page: refused in Chinese, nothing opened.
    for (scanned, why) in [
        ("https://evil.example.com/desk/n/2026-1", "别的网站"),
        (
            "https://dating.example.gov.cn.evil.com/desk/n/2026-1",
            "别的网站",
        ),
        (
            "https://dating.example.gov.cn/desk/stats",
            "不是告知单的二维码",
        ),
        (
            "https://dating.example.gov.cn/desk/n/2026-1/../../stats",
            "不是告知单的二维码",
        ),
    ] {
        let r = b.get(&format!("/desk/lookup?number={}", enc_path(scanned)));
        assert_eq!(r.status, 404, "{scanned}");
        assert!(r.text().contains(why), "{scanned}: {}", r.text());
    }
    // A code of a notice not in this register.
    let r = b.get(&format!(
        "/desk/lookup?number={}",
        enc_path("https://dating.example.gov.cn/desk/n/2026-9")
    ));
    assert_eq!(r.status, 404);
    // Without login, the scanned page asks for one.
    let mut stranger = s.browser();
    assert_eq!(
        stranger.get("/desk/n/2026-1").header("location"),
        Some("/desk/login")
    );
}

#[test]
fn a_clerk_cannot_open_supervisor_pages_and_a_supervisor_can() {
    let s = Server::start();
    let mut clerk = s.browser();
    clerk.logged_in("李娜");
    for path in [
        "/desk/audit",
        "/desk/status",
        "/desk/stats",
        "/desk/stats.csv",
    ] {
        let r = clerk.get(path);
        assert_eq!(r.status, 403, "{path}");
        assert!(r.text().contains("只有负责人"));
    }
    let mut boss = s.browser();
    boss.logged_in("王主任");
    assert_eq!(boss.get("/desk/status").status, 200);
    let log = boss.get("/desk/audit");
    assert_eq!(log.status, 200);
    assert!(log.text().contains("李娜") && log.text().contains("登录"));
}

#[test]
fn issuing_viewing_and_reprinting_are_in_the_audit_log() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    issue_passport(&mut b, &csrf);
    let number = s.number(1);
    assert_eq!(
        b.get(&format!("/desk/notice/{}", enc_path(&number))).status,
        200
    );
    let first = b
        .get(&format!("/desk/notice/{}/pdf", enc_path(&number)))
        .body;
    let again = b.post(
        &format!("/desk/notice/{}/reprint", enc_path(&number)),
        &[("csrf", &csrf)],
    );
    assert_eq!(again.status, 200);
    assert!(again.body == first, "a reprint is the archived PDF");
    let mut boss = s.browser();
    boss.logged_in("王主任");
    let log = boss.get("/desk/audit").text();
    for action in ["出具", "查看", "打印", "重印"] {
        assert!(
            log.contains(&format!("<td>{action}</td><td>{number}</td>")),
            "{action}: {log}"
        );
    }
}

#[test]
fn a_refused_notice_says_why_in_chinese_and_keeps_what_was_typed() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    // A defect without a reason.
    let r = b.post(
        "/desk/matter/passport",
        &[("csrf", &csrf), ("defect", "2"), ("applicant", "张三")],
    );
    assert_eq!(r.status, 422, "{}", r.text());
    assert!(r.text().contains("没有写原因"), "{}", r.text());
    assert!(r.text().contains("value=\"张三\""));
    // Nothing ticked.
    let r = b.post(
        "/desk/matter/passport",
        &[("csrf", &csrf), ("applicant", "张三")],
    );
    assert_eq!(r.status, 422);
    // Markup in a name is shown as text.
    let r = b.post(
        "/desk/matter/passport",
        &[
            ("csrf", &csrf),
            ("missing", "99"),
            ("applicant", "<script>x</script>"),
        ],
    );
    assert!(!r.text().contains("<script>x"));
    assert_eq!(s.count(), 0);
}

#[test]
fn the_api_needs_a_token_and_issues_through_the_same_register() {
    let s = Server::start();
    let db = s.db();
    let out = guide(
        s.dir.path(),
        &[
            "serve",
            "--register",
            db.to_str().unwrap(),
            "token",
            "add",
            "排队系统",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    assert_eq!(token.len(), 64);
    let body = r#"{"matter":"passport","situations":["renew"],"missing":["1"],"defects":[{"material":"2","reason":"申请人签名不清"}],"applicant":"张三","phone":"13800000000","window":"B12","clerk":"李娜"}"#.as_bytes();
    let json = ("Content-Type", "application/json".to_owned());
    // Without a token, or with a wrong one: refused, nothing issued.
    for auth in [None, Some("Bearer nope".to_owned())] {
        let mut h = vec![json.clone()];
        h.extend(auth.map(|a| ("Authorization", a)));
        let r = request(&s.addr, "POST", "/api/notices", &h, body);
        assert_eq!(r.status, 401);
        assert!(r.text().contains("接口令牌"));
    }
    assert_eq!(s.count(), 0);
    let bearer = ("Authorization", format!("Bearer {token}"));
    let r = request(
        &s.addr,
        "POST",
        "/api/notices",
        &[json.clone(), bearer.clone()],
        body,
    );
    assert_eq!(r.status, 201, "{}", r.text());
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let number = v["number"].as_str().unwrap().to_owned();
    assert_eq!(number, s.number(1));
    // Looked up by the short number.
    let r = request(
        &s.addr,
        "GET",
        "/api/notices/1",
        std::slice::from_ref(&bearer),
        b"",
    );
    assert_eq!(r.status, 200);
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(v["number"], number.as_str());
    assert_eq!(v["missing"][0]["name"], "居民身份证");
    assert_eq!(v["defects"][0]["reason"], "申请人签名不清");
    assert_eq!(v["outstanding"].as_array().unwrap().len(), 2);
    assert_eq!(
        request(&s.addr, "GET", "/api/notices/1", &[], b"").status,
        401
    );
    // The PDF is the one the desk serves.
    let pdf = request(
        &s.addr,
        "GET",
        &format!("/api/notices/{}/pdf", enc_path(&number)),
        std::slice::from_ref(&bearer),
        b"",
    );
    assert!(pdf.body.starts_with(b"%PDF-"));
    // Mistakes are said in Chinese.
    let r = request(
        &s.addr,
        "POST",
        "/api/notices",
        &[json.clone(), bearer.clone()],
        b"{",
    );
    assert_eq!(r.status, 400);
    assert!(r.text().contains("请求体应是 JSON"));
    let r = request(
        &s.addr,
        "POST",
        "/api/notices",
        &[json, bearer.clone()],
        r#"{"matter":"nope","missing":["1"],"applicant":"张三"}"#.as_bytes(),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("没有 id 为"), "{}", r.text());
    assert_eq!(
        request(
            &s.addr,
            "GET",
            "/api/notices/99",
            std::slice::from_ref(&bearer),
            b""
        )
        .status,
        404
    );
    // A disabled client's token opens nothing.
    let out = guide(
        s.dir.path(),
        &[
            "serve",
            "--register",
            db.to_str().unwrap(),
            "token",
            "disable",
            "排队系统",
        ],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        request(&s.addr, "GET", "/api/notices/1", &[bearer], b"").status,
        401
    );
}

#[test]
fn passwords_are_never_taken_from_the_command_line_and_weak_ones_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notices.db");
    let db = db.to_str().unwrap();
    let out = guide(
        dir.path(),
        &[
            "serve",
            "--register",
            db,
            "--new-register",
            "user",
            "add",
            "李娜",
            "--password",
            "x",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    let out = guide(
        dir.path(),
        &[
            "serve",
            "--register",
            db,
            "--new-register",
            "user",
            "add",
            "李娜",
        ],
        "short\n",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("密码太短"));
    let out = guide(
        dir.path(),
        &[
            "serve",
            "--register",
            db,
            "user",
            "add",
            "李娜",
            "--role",
            "boss",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--role"));
}

#[test]
fn a_disabled_account_cannot_log_in_and_its_session_ends() {
    let s = Server::start();
    let mut b = s.browser();
    b.logged_in("李娜");
    let db = s.db();
    let out = guide(
        s.dir.path(),
        &[
            "serve",
            "--register",
            db.to_str().unwrap(),
            "user",
            "disable",
            "李娜",
        ],
        "",
    );
    assert!(out.status.success());
    assert_eq!(b.get("/desk/").status, 303, "the session ended");
    let r = s.browser().login("李娜", PASSWORD);
    assert_eq!(r.status, 401);
    // A new password enables it again.
    let out = guide(
        s.dir.path(),
        &[
            "serve",
            "--register",
            db.to_str().unwrap(),
            "user",
            "passwd",
            "李娜",
        ],
        "another-long-password\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        s.browser().login("李娜", "another-long-password").status,
        303
    );
    let list = guide(
        s.dir.path(),
        &["serve", "--register", db.to_str().unwrap(), "user", "list"],
        "",
    );
    assert_eq!(
        String::from_utf8(list.stdout).unwrap(),
        "李娜\tclerk\tB12\n王主任\tsupervisor\tA1\n"
    );
    guide(
        s.dir.path(),
        &[
            "serve",
            "--register",
            db.to_str().unwrap(),
            "user",
            "disable",
            "王主任",
        ],
        "",
    );
    let list = guide(
        s.dir.path(),
        &["serve", "--register", db.to_str().unwrap(), "user", "list"],
        "",
    );
    assert!(
        String::from_utf8(list.stdout)
            .unwrap()
            .ends_with("王主任\tsupervisor\tA1\t已停用\n")
    );
}

#[cfg(unix)]
#[test]
fn sigterm_stops_the_server_gracefully() {
    let mut s = Server::start();
    let pid = s.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap()
            .success()
    );
    let status = s.child.wait().unwrap();
    assert_eq!(status.code(), Some(0));
}

#[test]
fn the_readme_and_the_docs_show_how_a_hall_sets_it_up() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let second = readme.split("```sh\n").nth(2).unwrap();
    assert!(
        second.contains("serve --project guides user add"),
        "{second}"
    );
    assert!(second.contains("serve --project guides "), "{second}");
    let docs = std::fs::read_to_string(root.join("docs/serve.md")).unwrap();
    for want in [
        "curl -sS -X POST http://127.0.0.1:8080/api/notices",
        "/api/notices/1",
        "proxy_set_header X-Forwarded-Proto https",
        "--trust-proxy",
        "systemctl enable --now guide-serve",
    ] {
        assert!(docs.contains(want), "docs/serve.md lacks {want}");
    }
}

/// Asks `get` again (up to 20 s) until `done` says yes; whether it did.
fn eventually(mut get: impl FnMut() -> String, done: impl Fn(&str) -> bool) -> bool {
    for _ in 0..100 {
        if done(&get()) {
            return true;
        }
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    false
}

#[test]
fn a_valid_change_of_the_data_is_served_at_once() {
    let s = Server::start_on_copy();
    let file = s.project().join("guides/exit-entry/passport.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let mut b = s.browser();
    let before = b.get("/matters/passport.html").text();
    assert!(!before.contains("改过的摘要"));
    std::fs::write(
        &file,
        text.replacen("summary: |\n", "summary: |\n  改过的摘要。\n", 1),
    )
    .unwrap();
    assert!(
        eventually(
            || b.get("/matters/passport.html").text(),
            |t| t.contains("改过的摘要")
        ),
        "the site was not updated"
    );
    let mut boss = s.browser();
    boss.logged_in("王主任");
    assert!(
        boss.get("/desk/status")
            .text()
            .contains("已通过检查并开始使用")
    );
}

#[test]
fn an_invalid_change_keeps_the_last_good_data_and_shows_why_on_the_status_page() {
    let s = Server::start_on_copy();
    let file = s.project().join("guides/exit-entry/passport.yaml");
    let mut boss = s.browser();
    boss.logged_in("王主任");
    std::fs::write(&file, "id: passport\nname: [\n").unwrap();
    assert!(
        eventually(
            || boss.get("/desk/status").text(),
            |t| t.contains("修改后的指南数据有错误")
        ),
        "no diagnostics on the status page"
    );
    let status = boss.get("/desk/status").text();
    assert!(status.contains("passport.yaml"), "{status}");
    // Still served, and notices are still issued from the last good data.
    let mut b = s.browser();
    assert!(
        b.get("/matters/passport.html")
            .text()
            .contains("普通护照签发")
    );
    let csrf = b.logged_in("李娜");
    assert_eq!(issue_passport(&mut b, &csrf).status, 303);
}

/// The session cookie a login sets, with `extra` headers on the login.
fn session_cookie(s: &Server, extra: Vec<(&str, String)>) -> String {
    let mut b = s.browser();
    let token = b.get("/desk/login").hidden("login");
    let mut headers = extra;
    headers.push(("Content-Type", "application/x-www-form-urlencoded".into()));
    let body = form(&[("login", &token), ("name", "李娜"), ("password", PASSWORD)]);
    let r = b.send("POST", "/desk/login", headers, &body);
    r.headers
        .iter()
        .find(|(k, v)| k.eq_ignore_ascii_case("set-cookie") && v.starts_with("guide_session="))
        .map(|(_, v)| v.clone())
        .unwrap_or_else(|| panic!("no session: {}", r.text()))
}

#[test]
fn cookies_are_secure_behind_a_trusted_https_proxy_only() {
    let https = || vec![("X-Forwarded-Proto", "https".to_owned())];
    let plain = Server::start();
    assert!(
        !session_cookie(&plain, https()).contains("Secure"),
        "an untrusted header"
    );
    let proxied = Server::start_with(&demo(), &["--trust-proxy"]);
    assert!(session_cookie(&proxied, https()).contains("; Secure"));
    assert!(!session_cookie(&proxied, vec![]).contains("Secure"));
    let secure = Server::start_with(&demo(), &["--secure-cookies"]);
    assert!(session_cookie(&secure, vec![]).contains("; Secure"));
}

#[test]
fn the_audit_log_names_the_proxys_client_only_when_the_proxy_is_trusted() {
    let forwarded = || vec![("X-Forwarded-For", "10.1.2.3".to_owned())];
    for (flags, seen) in [(&[][..], false), (&["--trust-proxy"][..], true)] {
        let s = Server::start_with(&demo(), flags);
        session_cookie(&s, forwarded());
        let mut boss = s.browser();
        boss.logged_in("王主任");
        assert_eq!(
            boss.get("/desk/audit").text().contains("10.1.2.3"),
            seen,
            "{flags:?}"
        );
    }
}

#[test]
fn a_supervisor_sees_the_most_often_missing_materials_as_charts_and_csv() {
    let s = Server::start();
    let mut clerk = s.browser();
    let csrf = clerk.logged_in("李娜");
    issue_passport(&mut clerk, &csrf);
    issue_passport(&mut clerk, &csrf);
    let mut boss = s.browser();
    boss.logged_in("王主任");
    let page = boss.get("/desk/stats?since=2026-06-01&window=B12").text();
    assert!(
        page.contains("<svg") && page.contains("普通护照签发"),
        "{page}"
    );
    assert!(
        page.contains("最常缺少的材料") && page.contains("居民身份证：2"),
        "{page}"
    );
    assert!(page.contains("最常需补正的材料"));
    assert!(
        page.contains("<h2>各窗口</h2>") && page.contains("<td>B12</td><td>2</td><td>0</td>"),
        "{page}"
    );
    let csv = boss.get("/desk/stats.csv?since=2026-06-01").text();
    assert!(csv.contains("passport,普通护照签发,告知单,,,2,0"), "{csv}");
    assert!(
        csv.contains("passport,普通护照签发,缺少,居民身份证,2,,"),
        "{csv}"
    );
    // Another window, another period: nothing.
    assert!(
        boss.get("/desk/stats?window=C1")
            .text()
            .contains("没有告知单")
    );
    assert_eq!(boss.get("/desk/stats?since=2026-13-01").status, 422);
}

#[test]
fn a_supervisor_sees_notices_and_completion_by_month_or_week_as_a_chart_and_csv() {
    let s = Server::start();
    let mut clerk = s.browser();
    let csrf = clerk.logged_in("李娜");
    issue_passport(&mut clerk, &csrf);
    issue_passport(&mut clerk, &csrf);
    // The first one is completed at its second visit.
    let page = clerk.get("/desk/notice/1");
    let page = clerk.get(page.header("location").unwrap());
    let csrf = page.hidden("csrf");
    let number = enc_path("乌政服告〔2026〕1号");
    let r = clerk.post(
        &format!("/desk/notice/{number}/visit"),
        &[
            ("csrf", &csrf),
            ("brought", "1"),
            ("brought", "2"),
            ("result", "已补正"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let mut boss = s.browser();
    boss.logged_in("王主任");
    // 2026-06-01 (the tests' clock) is a Monday.
    let page = boss.get("/desk/stats?since=2026-06-01&period=month").text();
    assert!(page.contains("<h2>按月</h2>"), "{page}");
    assert!(
        page.contains("<tr><td>2026-06</td><td>2</td><td>1</td><td>1</td><td>50.0%</td></tr>"),
        "{page}"
    );
    assert!(
        page.contains("aria-label=\"每月的告知单数和已完成数\""),
        "{page}"
    );
    let page = boss.get("/desk/stats?period=week").text();
    assert!(
        page.contains("<tr><td>2026-06-01</td><td>2</td><td>1</td><td>1</td>"),
        "{page}"
    );
    let csv = boss.get("/desk/stats-periods.csv?period=week&matter=passport");
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    assert_eq!(
        csv.text(),
        "\u{feff}周（周一）,告知单数,再次来办数,完成数\r\n2026-06-01,2,1,1\r\n"
    );
    // Another matter: an empty series; a period that is none: refused.
    let csv = boss.get("/desk/stats-periods.csv?matter=household").text();
    assert_eq!(csv, "\u{feff}月份,告知单数,再次来办数,完成数\r\n");
    assert_eq!(boss.get("/desk/stats?period=year").status, 422);
    assert_eq!(boss.get("/desk/stats-periods.csv?period=year").status, 422);
    // A clerk gets none of it.
    assert_eq!(clerk.get("/desk/stats-periods.csv").status, 403);
}

#[test]
fn a_clerk_finds_notices_by_name_phone_or_date_and_the_search_is_audited() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    issue_passport(&mut b, &csrf);
    let number = s.number(1);
    for q in [
        "text=%E5%BC%A0",
        "text=0000",
        "since=2026-06-01&until=2026-06-01",
    ] {
        let page = b.get(&format!("/desk/search?{q}")).text();
        assert!(
            page.contains(&number) && page.contains("共 1 张"),
            "{q}: {page}"
        );
    }
    assert!(
        b.get("/desk/search?text=%E6%9D%8E%E5%9B%9B")
            .text()
            .contains("共 0 张")
    );
    assert_eq!(b.get("/desk/search").status, 422);
    let mut boss = s.browser();
    boss.logged_in("王主任");
    assert!(boss.get("/desk/audit").text().contains("姓名或电话含“张”"));
}

#[test]
fn a_preview_serves_the_site_only_and_its_pages_reload_when_the_data_changes() {
    let copy = tempfile::tempdir().unwrap();
    let project = copy.path().join("project");
    copy_dir(&demo(), &project);
    let s = Server::start_with(&project, &["--preview"]);
    let mut b = s.browser();
    let page = b.get("/matters/passport.html").text();
    assert!(page.contains("/__preview/version"), "{page}");
    for path in ["/desk/", "/desk/login", "/api/notices/1"] {
        assert_eq!(b.get(path).status, 404, "{path}");
    }
    let before = b.get("/__preview/version").text();
    let file = project.join("guides/exit-entry/passport.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    std::fs::write(
        &file,
        text.replacen("summary: |\n", "summary: |\n  预览里改的。\n", 1),
    )
    .unwrap();
    assert!(eventually(
        || b.get("/__preview/version").text(),
        |v| v != before
    ));
    assert!(
        b.get("/matters/passport.html")
            .text()
            .contains("预览里改的")
    );
    // The served site of a hall server has no such script.
    let hall = Server::start();
    assert!(
        !hall
            .browser()
            .get("/matters/passport.html")
            .text()
            .contains("__preview")
    );
}

#[test]
fn what_cannot_be_read_is_refused_in_chinese() {
    let s = Server::start();
    let mut b = s.browser();
    let json = ("Content-Type", "application/json".to_owned());
    let r = b.send("POST", "/desk/login", vec![json], b"{}");
    assert_eq!(r.status, 415);
    assert!(r.text().contains("不是网页表单"), "{}", r.text());
    b.logged_in("李娜");
    let r = b.get("/desk/notice/%FF%FE");
    assert_eq!(r.status, 400);
    assert!(r.text().contains("网址无法读取"), "{}", r.text());
    let r = b.get("/desk/notice/%E4%B9%8C");
    assert_eq!(r.status, 404, "a number that is none");
    assert_eq!(b.send("DELETE", "/", vec![], b"").status, 405);
}

#[test]
fn a_server_without_accounts_says_how_to_make_one_and_has_no_default() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("notices.db");
    let mut child = Command::new(bin())
        .arg("--project")
        .arg(demo())
        .args([
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--new-register",
            "--register",
        ])
        .arg(&db)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/');
    for (name, password) in [("admin", "admin"), ("admin", ""), ("", "")] {
        let mut b = Browser {
            addr: addr.to_owned(),
            cookies: BTreeMap::new(),
        };
        assert_eq!(b.login(name, password).status, 401, "{name}/{password}");
    }
    let _ = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status();
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("还没有窗口工作台的账号") && err.contains("guide serve user add"),
        "{err}"
    );
}

#[test]
fn issuing_into_a_register_inside_the_project_does_not_reload_the_data() {
    let copy = tempfile::tempdir().unwrap();
    let project = copy.path().join("project");
    copy_dir(&demo(), &project);
    let db = project.join("notices.db");
    let db = db.to_str().unwrap();
    for (name, role) in [("李娜", "clerk"), ("王主任", "supervisor")] {
        let args = [
            "--project",
            project.to_str().unwrap(),
            "serve",
            "--register",
            db,
            "--new-register",
            "user",
            "add",
            name,
            "--window",
            "B12",
            "--role",
            role,
        ];
        let mut c = Command::new(bin())
            .args(args)
            .stdin(Stdio::piped())
            .spawn()
            .unwrap();
        writeln!(c.stdin.take().unwrap(), "{PASSWORD}").unwrap();
        assert!(c.wait().unwrap().success());
    }
    let mut child = Command::new(bin())
        .args([
            "--project",
            project.to_str().unwrap(),
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--register",
            db,
        ])
        .env("GUIDE_TEST_NOW", NOW)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .trim_start_matches("http://")
        .trim_end_matches('/')
        .to_owned();
    let browser = || Browser {
        addr: addr.clone(),
        cookies: BTreeMap::new(),
    };
    let mut clerk = browser();
    let csrf = clerk.logged_in("李娜");
    assert_eq!(issue_passport(&mut clerk, &csrf).status, 303);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    let mut boss = browser();
    boss.logged_in("王主任");
    let status = boss.get("/desk/status").text();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        !status.contains("修改后的指南数据"),
        "the register's writes reloaded the data: {status}"
    );
}

/// `openssl` makes a self-signed certificate for `localhost` in `dir`:
/// (certificate, key).
fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    let out = Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
        ])
        .args(["-nodes", "-days", "2", "-subj", "/CN=localhost"])
        .args(["-addext", "subjectAltName=DNS:localhost"])
        .arg("-keyout")
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl is needed to make a test certificate");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (cert, key)
}

/// `curl` over HTTPS to `localhost` at `addr`, trusting `cert`: the
/// response's headers and body, or why it failed.
fn curl_https(addr: &str, cert: &Path, path: &str) -> std::process::Output {
    let port = addr.rsplit(':').next().unwrap();
    Command::new("curl")
        .args(["-sS", "-i", "--max-time", "10", "--cacert"])
        .arg(cert)
        .args(["--resolve", &format!("localhost:{port}:127.0.0.1")])
        .arg(format!("https://localhost:{port}{path}"))
        .output()
        .expect("curl is needed for the HTTPS test")
}

#[test]
fn with_tls_the_server_speaks_https_and_its_cookies_are_secure() {
    let certs = tempfile::tempdir().unwrap();
    let (cert, key) = self_signed(certs.path());
    let s = Server::start_with(
        &demo(),
        &["--tls", cert.to_str().unwrap(), key.to_str().unwrap()],
    );
    let out = curl_https(&s.addr, &cert, "/desk/login");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    let cookie = text
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("set-cookie:"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        cookie.contains("; Secure")
            && cookie.contains("HttpOnly")
            && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // The public site too; plain HTTP on the same port gets nothing.
    let out = curl_https(&s.addr, &cert, "/");
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("HTTP/1.1 200"));
    assert!(request_fails(&s.addr));
    // A certificate that is not one: refused at the start, in Chinese.
    let bad = certs.path().join("bad.pem");
    std::fs::write(&bad, "不是证书").unwrap();
    let out = guide(
        certs.path(),
        &[
            "serve",
            "--bind",
            "127.0.0.1:0",
            "--preview",
            "--tls",
            bad.to_str().unwrap(),
            key.to_str().unwrap(),
        ],
        "",
    );
    assert_ne!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("里没有证书"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Whether a plain HTTP request to `addr` gets no HTTP answer.
fn request_fails(addr: &str) -> bool {
    let mut c = TcpStream::connect(addr).unwrap();
    c.set_read_timeout(Some(std::time::Duration::from_secs(5)))
        .unwrap();
    let _ = c.write_all(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    let mut got = Vec::new();
    let _ = c.read_to_end(&mut got);
    !got.starts_with(b"HTTP/1.1")
}

#[test]
fn the_desk_issues_a_notice_for_a_uyghur_name() {
    let s = Server::start();
    let mut b = s.browser();
    let csrf = b.logged_in("李娜");
    let form = b.get("/desk/matter/passport").text();
    assert!(
        form.contains("name=\"applicant\" value=\"\" dir=\"auto\""),
        "{form}"
    );
    let name = "ئابدۇرېھىم ئەھمەت";
    let r = b.post(
        "/desk/matter/passport",
        &[
            ("csrf", &csrf),
            ("situation", "renew"),
            ("missing", "1"),
            ("applicant", name),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let number = s.number(1);
    let pdf = b.get(&format!("/desk/notice/{}/pdf", enc_path(&number)));
    assert_eq!(pdf.status, 200);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("n.pdf");
    std::fs::write(&file, &pdf.body).unwrap();
    let text: String = common::pdf_flat(&file)
        .chars()
        .filter(|c| !matches!(c, '\u{202A}'..='\u{202E}'))
        .collect();
    assert!(text.contains("ئابدۇرېھىمئەھمەت"), "{text}");
}

#[test]
fn halls_serve_one_postgres_register_and_refuse_it_until_migrated() {
    let Some(db) = pg::Schema::new() else {
        return;
    };
    let here = tempfile::tempdir().unwrap();
    // Not migrated: the server does not start, and says what to do.
    let out = guide(here.path(), &["serve", "--register", &db.url], "");
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("请先运行 guide serve migrate"), "{said}");
    let out = guide(
        here.path(),
        &["serve", "--register", &db.url, "migrate"],
        "",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Two halls' servers on the one register: a clerk at each desk.
    let a = Server::start_at(&demo(), &["--hall", "海勃湾区"], Some(&db.url));
    let b = Server::start_at(&demo(), &["--hall", "乌达区"], Some(&db.url));
    let mut numbers = Vec::new();
    for s in [&a, &b, &a] {
        let mut browser = s.browser();
        let csrf = browser.logged_in("李娜");
        let r = issue_passport(&mut browser, &csrf);
        assert_eq!(r.status, 303, "{}", r.text());
        let page = browser.get(r.header("location").unwrap());
        assert_eq!(page.status, 200);
        numbers.push(page.text());
    }
    let list = guide(here.path(), &["notice", "--register", &db.url, "list"], "");
    let list = String::from_utf8(list.stdout).unwrap();
    let got: Vec<&str> = list
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(got.len(), 3, "{list}");
    for (i, n) in got.iter().enumerate() {
        assert!(n.ends_with(&format!("〕{}号", i + 1)), "{list}");
        assert!(numbers[i].contains(n), "the desk showed {n}");
    }
    // The hall is recorded with each notice.
    let show = guide(
        here.path(),
        &["notice", "--register", &db.url, "show", "2"],
        "",
    );
    let show = String::from_utf8(show.stdout).unwrap();
    assert!(show.starts_with(got[1]), "{show}");
    let mut c = postgres::Client::connect(&db.url, postgres::NoTls).unwrap();
    let halls: Vec<String> = c
        .query("SELECT hall FROM notices ORDER BY seq", &[])
        .unwrap()
        .iter()
        .map(|r| r.get(0))
        .collect();
    assert_eq!(halls, ["海勃湾区", "乌达区", "海勃湾区"]);
}
