//! What every notice register must do, whatever keeps it: one suite over
//! `&dyn Register`, run for each store by [`register_suite!`] with a
//! [`Store`] that makes fresh registers of that kind (SQLite in
//! `tests/register_trait.rs`, PostgreSQL in `tests/register_postgres.rs`).
#![allow(dead_code)]

use guide::register::{
    Filter, NewAccount, NewAudit, NewNotice, NewSession, NewVisit, Outcome, Paging, Register,
    RegisterError, RenderError, Role, Told,
};

/// A kind of store, for the suite.
pub trait Store: Sync {
    /// The schema version a fresh register of this kind reports.
    const SCHEMA_VERSION: i64;
    /// A new, empty register; `None` when this kind of store cannot be had
    /// here (a PostgreSQL server outside CI), and the test is skipped.
    fn fresh() -> Option<Self>
    where
        Self: Sized;
    /// A window onto it (each call: another connection, as another
    /// window of the office would have).
    fn open(&self) -> Box<dyn Register>;
    /// Damages the stored row of notice `number` behind the register's
    /// back: its situations are no longer a list.
    fn damage(&self, number: &str);
}

/// One `#[test]` per check of the suite, for the store `$store`.
#[macro_export]
macro_rules! register_suite {
    ($store:ty) => {
        $crate::register_suite!(@tests $store:
            numbers_are_consecutive_per_year_and_roll_over,
            windows_issuing_at_once_get_every_number_once,
            a_failed_render_stores_nothing_and_uses_no_number,
            a_notice_is_stored_with_its_pdf,
            defective_materials_are_kept_with_their_reasons,
            a_number_taken_by_another_notice_is_refused,
            a_clock_behind_the_newest_notice_is_refused,
            a_clerk_finds_a_notice_by_a_short_number,
            a_short_number_of_two_notices_names_both,
            the_register_lists_in_pages_and_filters,
            visits_are_recorded_in_order,
            stats_count_notices_missing_materials_and_completions,
            the_schema_version_is_reported,
            a_damaged_row_names_its_number_and_the_others_still_list,
            accounts_are_added_once_found_by_name_and_disabled,
            a_new_password_ends_the_sessions_of_the_account,
            a_session_is_found_by_its_digest_until_closed,
            api_clients_are_found_by_their_token_digest_until_disabled,
            the_audit_log_lists_newest_first,
            each_hall_numbers_on_its_own_when_the_pattern_says_so,
        );
    };
    (@tests $store:ty: $($name:ident),* $(,)?) => {
        $(
            #[test]
            fn $name() {
                let Some(store) = <$store as register_suite::Store>::fresh() else {
                    return;
                };
                register_suite::$name(&store);
            }
        )*
    };
}

/// A notice record of `year` for `matter`, telling `missing`.
pub fn record(year: i32, matter: &str, missing: &[&str]) -> NewNotice {
    NewNotice {
        year,
        matter_id: matter.into(),
        matter_name: format!("事项{matter}"),
        edition: "e".into(),
        applicant: "张三".into(),
        phone: Some("13800000000".into()),
        clerk: Some("李娜".into()),
        window: Some("B12".into()),
        situations: vec!["委托他人代办".into()],
        missing: missing
            .iter()
            .map(|m| Told {
                name: (*m).into(),
                requirement: "原件1份，必要".into(),
                detail: "须在有效期内".into(),
                reason: String::new(),
            })
            .collect(),
        defects: vec![],
        issued_at: format!("{year}-06-01 09:00:00"),
        hall: None,
        sequence: String::new(),
    }
}

/// Numbers as the demo prints them.
pub fn official(year: i32) -> impl Fn(u32) -> String {
    move |s| format!("乌政服告〔{year}〕{s:04}号")
}

fn pdf(number: &str) -> Result<Vec<u8>, RenderError> {
    Ok(format!("%PDF-1.7 {number}").into_bytes())
}

/// Issues a notice of `year` and gives its number.
fn issue(r: &dyn Register, year: i32) -> String {
    r.issue(
        record(year, "passport", &["居民身份证"]),
        &official(year),
        &mut pdf,
    )
    .unwrap()
    .number
}

fn visit(outcome: Outcome, brought: &[&str], at: &str) -> NewVisit {
    NewVisit {
        brought: brought.iter().map(|b| (*b).into()).collect(),
        outcome,
        clerk: Some("王五".into()),
        window: Some("B3".into()),
        at: at.into(),
    }
}

fn numbers(r: &dyn Register) -> Vec<String> {
    r.list(&Filter::default(), Paging::All)
        .unwrap()
        .items
        .into_iter()
        .map(|s| s.unwrap().notice.number)
        .collect()
}

pub fn numbers_are_consecutive_per_year_and_roll_over(s: &impl Store) {
    let r = s.open();
    let r = r.as_ref();
    assert_eq!(issue(r, 2020), "乌政服告〔2020〕0001号");
    assert_eq!(issue(r, 2020), "乌政服告〔2020〕0002号");
    assert_eq!(issue(r, 2021), "乌政服告〔2021〕0001号");
    // A window that began its notice on 31 December commits it after
    // another window's first of the new year.
    assert_eq!(issue(r, 2020), "乌政服告〔2020〕0003号");
    let seqs: Vec<u32> = ["乌政服告〔2020〕0003号", "乌政服告〔2021〕0001号"]
        .iter()
        .map(|n| r.get(n).unwrap().unwrap().seq)
        .collect();
    assert_eq!(seqs, [3, 1]);
}

pub fn windows_issuing_at_once_get_every_number_once(s: &impl Store) {
    let shared = s.open();
    let (windows, each) = (4, 5);
    let mut got: Vec<String> = std::thread::scope(|scope| {
        let mut handles = Vec::new();
        for w in 0..windows {
            let shared = shared.as_ref();
            handles.push(scope.spawn(move || {
                // Half the windows have their own connection, half share one.
                let own = (w % 2 == 0).then(|| s.open());
                let r = own.as_deref().unwrap_or(shared);
                (0..each).map(|_| issue(r, 2020)).collect::<Vec<_>>()
            }));
        }
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    got.sort();
    let want: Vec<String> = (1..=windows * each).map(official(2020)).collect();
    assert_eq!(got, want);
    assert_eq!(numbers(shared.as_ref()), want, "each with its notice");
}

pub fn a_failed_render_stores_nothing_and_uses_no_number(s: &impl Store) {
    let r = s.open();
    let mut calls = 0;
    let failed = r.issue(
        record(2020, "passport", &["居民身份证"]),
        &official(2020),
        &mut |_| {
            calls += 1;
            Err("打印机着火了".into())
        },
    );
    match failed {
        Err(RegisterError::Render(e)) => assert_eq!(e.to_string(), "打印机着火了"),
        other => panic!("{other:?}"),
    }
    assert_eq!(calls, 1);
    assert_eq!(numbers(r.as_ref()), Vec::<String>::new());
    assert_eq!(r.stats(&Filter::default()).unwrap().notices, 0);
    assert_eq!(issue(r.as_ref(), 2020), official(2020)(1), "no number used");
}

pub fn a_notice_is_stored_with_its_pdf(s: &impl Store) {
    let r = s.open();
    let rec = record(2020, "passport", &["居民身份证", "居民户口簿"]);
    let n = r
        .issue(rec.clone(), &official(2020), &mut |number| {
            Ok(format!("%PDF-1.7 the notice {number}").into_bytes())
        })
        .unwrap();
    assert_eq!((n.seq, n.record.clone()), (1, rec.clone()));
    let back = s.open().get(&n.number).unwrap().unwrap();
    assert_eq!(back, n);
    assert_eq!(
        r.pdf(&n.number).unwrap(),
        format!("%PDF-1.7 the notice {}", n.number).into_bytes()
    );
    assert!(r.get("乌政服告〔2020〕0002号").unwrap().is_none());
    assert!(matches!(
        r.pdf("乌政服告〔2020〕0002号"),
        Err(RegisterError::NotFound { .. })
    ));
}

pub fn defective_materials_are_kept_with_their_reasons(s: &impl Store) {
    let r = s.open();
    let mut rec = record(2020, "passport", &["居民身份证"]);
    rec.defects = vec![Told {
        name: "近期免冠照片".into(),
        requirement: "原件2份，必要".into(),
        detail: String::new(),
        reason: "照片背景不符合要求".into(),
    }];
    let n = r.issue(rec.clone(), &official(2020), &mut pdf).unwrap();
    assert_eq!(n.record, rec);
    assert_eq!(s.open().get(&n.number).unwrap().unwrap(), n);
    let listed = r.list(&Filter::default(), Paging::All).unwrap();
    let first = listed.items.into_iter().next().unwrap().unwrap();
    assert_eq!(first.notice.record.defects, rec.defects);
    // Counted apart from the missing ones.
    let stats = r.stats(&Filter::default()).unwrap();
    assert_eq!(stats.matters[0].missing, [("居民身份证".to_owned(), 1)]);
    assert_eq!(stats.matters[0].defective, [("近期免冠照片".to_owned(), 1)]);
}

pub fn a_number_taken_by_another_notice_is_refused(s: &impl Store) {
    let r = s.open();
    let same = |_: u32| "乌政服告〔2020〕号".to_owned();
    r.issue(record(2020, "passport", &["居民身份证"]), &same, &mut pdf)
        .unwrap();
    let e = r
        .issue(record(2020, "passport", &["居民身份证"]), &same, &mut pdf)
        .unwrap_err();
    assert!(matches!(e, RegisterError::NumberTaken { .. }), "{e:?}");
    assert!(e.to_string().contains("编号格式是否缺少年份或序号"), "{e}");
    assert_eq!(numbers(r.as_ref()).len(), 1);
}

pub fn a_clock_behind_the_newest_notice_is_refused(s: &impl Store) {
    let r = s.open();
    let mut future = record(2020, "passport", &["居民身份证"]);
    future.issued_at = "2999-01-01 00:00:00".into();
    let n = r.issue(future, &official(2020), &mut pdf).unwrap();
    let e = r
        .issue(
            record(2020, "passport", &["居民身份证"]),
            &official(2020),
            &mut pdf,
        )
        .unwrap_err();
    assert!(matches!(e, RegisterError::ClockBehind { .. }), "{e:?}");
    assert!(e.is_refusal());
    assert!(e.to_string().contains("这台电脑的时钟可能不对"), "{e}");
    assert_eq!(numbers(r.as_ref()), [n.number.as_str()]);
    let e = r
        .record_visit(
            &n.number,
            visit(Outcome::Corrected, &[], "2030-01-01 00:00:00"),
        )
        .unwrap_err();
    assert!(matches!(e, RegisterError::ClockBehind { .. }), "{e:?}");
    assert_eq!(r.visits(&n.number).unwrap(), []);
}

pub fn a_clerk_finds_a_notice_by_a_short_number(s: &impl Store) {
    let r = s.open();
    let r = r.as_ref();
    for _ in 0..3 {
        issue(r, 2020);
    }
    let second = official(2020)(2);
    for q in [
        second.as_str(),
        "0002",
        "2",
        " 2 ",
        "０００２",
        "2020-0002",
        "2020-2",
        "2020/2",
        "2020年2号",
        "〔2020〕2号",
        "〔2020〕0002号",
        "乌政服告〔2020〕2号",
    ] {
        assert_eq!(r.find(q).unwrap().number, second, "{q}");
    }
    for q in ["0009", "2021-0002", "某某〔2020〕2号", "护照", ""] {
        let e = r.find(q).unwrap_err();
        assert!(matches!(e, RegisterError::NotFound { .. }), "{q}: {e:?}");
    }
    assert_eq!(
        r.find("12").unwrap_err().to_string(),
        "登记簿里没有编号为“12”的告知单"
    );
}

pub fn a_short_number_of_two_notices_names_both(s: &impl Store) {
    let r = s.open();
    let r = r.as_ref();
    let old = issue(r, 2020);
    let new = issue(r, 2021);
    match r.find("0001") {
        Err(RegisterError::Ambiguous { candidates, .. }) => {
            assert_eq!(candidates, [old.clone(), new.clone()])
        }
        other => panic!("{other:?}"),
    }
    let e = r.find("1").unwrap_err().to_string();
    assert!(e.contains(&old) && e.contains(&new), "{e}");
    assert!(e.contains("请写出年份"), "{e}");
    assert_eq!(r.find("2021-1").unwrap().number, new);
}

pub fn the_register_lists_in_pages_and_filters(s: &impl Store) {
    let r = s.open();
    for i in 1..=7 {
        let mut rec = record(
            2020,
            if i % 2 == 0 { "even" } else { "odd" },
            &["居民身份证"],
        );
        rec.issued_at = format!("2020-06-{i:02} 09:00:00");
        rec.applicant = format!("申请人{i}");
        rec.phone = Some(format!("1380000000{i}"));
        rec.window = Some(if i <= 3 { "A1" } else { "B2" }.into());
        // A big PDF: a page of the list never carries one.
        r.issue(rec, &official(2020), &mut |n| {
            let mut big = format!("%PDF-1.7 {n}").into_bytes();
            big.resize(1 << 20, b' ');
            Ok(big)
        })
        .unwrap();
    }
    let page = |f: &Filter, index: u32, size: u32| -> (Vec<u32>, u64) {
        let p = r.list(f, Paging::Page { index, size }).unwrap();
        let seqs = p.items.into_iter().map(|s| s.unwrap().notice.seq).collect();
        (seqs, p.total)
    };
    let all = Filter::default();
    assert_eq!(page(&all, 1, 3), (vec![1, 2, 3], 7));
    assert_eq!(page(&all, 2, 3), (vec![4, 5, 6], 7));
    assert_eq!(page(&all, 3, 3), (vec![7], 7));
    assert_eq!(page(&all, 4, 3), (vec![], 7));
    let f = |f: Filter| page(&f, 1, 100);
    assert_eq!(
        f(Filter {
            matter: Some("even".into()),
            ..all.clone()
        }),
        (vec![2, 4, 6], 3)
    );
    assert_eq!(
        f(Filter {
            since: Some("2020-06-03".into()),
            until: Some("2020-06-05".into()),
            ..all.clone()
        }),
        (vec![3, 4, 5], 3)
    );
    assert_eq!(
        f(Filter {
            window: Some("A1".into()),
            ..all.clone()
        }),
        (vec![1, 2, 3], 3)
    );
    // By name or phone, as the desk searches.
    assert_eq!(
        f(Filter {
            text: Some("申请人6".into()),
            ..all.clone()
        }),
        (vec![6], 1)
    );
    assert_eq!(
        f(Filter {
            text: Some("00005".into()),
            ..all.clone()
        }),
        (vec![5], 1)
    );
    let first = r.list(&all, Paging::Page { index: 1, size: 1 }).unwrap();
    let s = first.items[0].as_ref().unwrap();
    assert_eq!((s.visits, s.outcome), (0, None));
    assert_eq!(s.notice.record.applicant, "申请人1");
}

pub fn visits_are_recorded_in_order(s: &impl Store) {
    let r = s.open();
    let n = r
        .issue(
            record(2020, "passport", &["居民身份证", "居民户口簿"]),
            &official(2020),
            &mut pdf,
        )
        .unwrap();
    let first = visit(
        Outcome::StillMissing,
        &["居民身份证"],
        "2020-06-02 10:00:00",
    );
    let second = visit(Outcome::Corrected, &["居民户口簿"], "2020-06-05 15:30:00");
    let v1 = r.record_visit(&n.number, first.clone()).unwrap();
    let v2 = s.open().record_visit(&n.number, second.clone()).unwrap();
    assert_eq!((v1.seq, v2.seq), (1, 2));
    let back = r.visits(&n.number).unwrap();
    assert_eq!(back, [v1, v2]);
    assert_eq!(back[1].record, second);
    let listed = r.list(&Filter::default(), Paging::All).unwrap();
    let summary = listed.items[0].as_ref().unwrap();
    assert_eq!(
        (summary.visits, summary.outcome),
        (2, Some(Outcome::Corrected))
    );
    let e = r.record_visit("乌政服告〔2020〕0009号", first).unwrap_err();
    assert!(matches!(e, RegisterError::NotFound { .. }), "{e:?}");
    assert_eq!(r.visits("乌政服告〔2020〕0009号").unwrap(), []);
}

pub fn stats_count_notices_missing_materials_and_completions(s: &impl Store) {
    let r = s.open();
    let issue_of = |matter: &str, missing: &[&str], window: &str| {
        let mut rec = record(2020, matter, missing);
        rec.window = Some(window.into());
        r.issue(rec, &official(2020), &mut pdf).unwrap().number
    };
    let a1 = issue_of("passport", &["居民身份证", "居民户口簿"], "B12");
    let a2 = issue_of("passport", &["居民身份证"], "B12");
    let _a3 = issue_of("passport", &["照片", "居民身份证"], "B3");
    let b1 = issue_of("hukou", &["照片"], "B3");
    let at = "2020-06-02 10:00:00";
    r.record_visit(&a1, visit(Outcome::StillMissing, &["居民身份证"], at))
        .unwrap();
    r.record_visit(&a1, visit(Outcome::Corrected, &["居民户口簿"], at))
        .unwrap();
    r.record_visit(&a2, visit(Outcome::StillMissing, &[], at))
        .unwrap();
    r.record_visit(&b1, visit(Outcome::Accepted, &["照片"], at))
        .unwrap();

    let all = r.stats(&Filter::default()).unwrap();
    assert_eq!(
        (all.notices, all.visited, all.completed, all.damaged),
        (4, 3, 2, 0)
    );
    assert_eq!(all.completion_rate(), Some(0.5));
    let ids: Vec<&str> = all.matters.iter().map(|m| m.matter_id.as_str()).collect();
    assert_eq!(ids, ["passport", "hukou"], "most notices first");
    let passport = &all.matters[0];
    assert_eq!((passport.notices, passport.completed), (3, 1));
    assert_eq!(passport.matter_name, "事项passport");
    assert_eq!(
        passport.missing,
        [
            ("居民身份证".to_owned(), 3),
            ("居民户口簿".to_owned(), 1),
            ("照片".to_owned(), 1)
        ]
    );
    let b3 = r
        .stats(&Filter {
            window: Some("B3".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!((b3.notices, b3.completed), (2, 1));
    let none = r
        .stats(&Filter {
            since: Some("2021-01-01".into()),
            ..Filter::default()
        })
        .unwrap();
    assert_eq!((none.notices, none.completion_rate()), (0, None));
}

pub fn the_schema_version_is_reported<S: Store>(s: &S) {
    assert_eq!(s.open().schema_version().unwrap(), S::SCHEMA_VERSION);
}

pub fn a_damaged_row_names_its_number_and_the_others_still_list(s: &impl Store) {
    let r = s.open();
    let r = r.as_ref();
    let numbers: Vec<String> = (0..3).map(|_| issue(r, 2020)).collect();
    s.damage(&numbers[1]);
    let r = s.open();
    let e = r.get(&numbers[1]).unwrap_err();
    match &e {
        RegisterError::Damaged { number, .. } => assert_eq!(number, &numbers[1]),
        other => panic!("{other:?}"),
    }
    assert!(
        e.to_string()
            .contains(&format!("编号 {} 的记录已损坏", numbers[1])),
        "{e}"
    );
    assert!(r.find("0002").is_err());
    let listed = r.list(&Filter::default(), Paging::All).unwrap();
    let ok: Vec<bool> = listed.items.iter().map(Result::is_ok).collect();
    assert_eq!(ok, [true, false, true]);
    let stats = r.stats(&Filter::default()).unwrap();
    assert_eq!((stats.notices, stats.damaged), (2, 1));
    // The next number is still the next one.
    assert_eq!(issue(r.as_ref(), 2020), official(2020)(4));
}

fn clerk(name: &str) -> NewAccount {
    NewAccount {
        name: name.into(),
        window: Some("B12".into()),
        role: Role::Clerk,
        hash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA".into(),
        created_at: "2026-06-01 09:00:00".into(),
    }
}

pub fn accounts_are_added_once_found_by_name_and_disabled(s: &impl Store) {
    let r = s.open();
    r.add_account(&clerk("李娜")).unwrap();
    match r.add_account(&clerk("李娜")).unwrap_err() {
        RegisterError::Exists { name, .. } => assert_eq!(name, "李娜"),
        e => panic!("{e:?}"),
    }
    let a = s.open().account("李娜").unwrap().unwrap();
    assert_eq!(
        (a.window.as_deref(), a.role, a.disabled),
        (Some("B12"), Role::Clerk, false)
    );
    assert!(r.account("王五").unwrap().is_none());
    r.add_account(&NewAccount {
        role: Role::Supervisor,
        window: None,
        ..clerk("王主任")
    })
    .unwrap();
    let names: Vec<String> = r.accounts().unwrap().into_iter().map(|a| a.name).collect();
    assert_eq!(names.len(), 2);
    assert!(names.contains(&"李娜".to_owned()) && names.contains(&"王主任".to_owned()));
    assert!(r.disable_account("李娜").unwrap());
    assert!(!r.disable_account("王五").unwrap());
    assert!(r.account("李娜").unwrap().unwrap().disabled);
}

pub fn a_new_password_ends_the_sessions_of_the_account(s: &impl Store) {
    let r = s.open();
    r.add_account(&clerk("李娜")).unwrap();
    r.disable_account("李娜").unwrap();
    r.open_session(&session("d1", "李娜")).unwrap();
    assert!(r.set_password("李娜", "$argon2id$new").unwrap());
    let a = r.account("李娜").unwrap().unwrap();
    assert_eq!((a.hash.as_str(), a.disabled), ("$argon2id$new", false));
    assert!(r.session("d1").unwrap().is_none());
    assert!(!r.set_password("王五", "x").unwrap());
}

fn session(digest: &str, account: &str) -> NewSession {
    NewSession {
        digest: digest.into(),
        account: account.into(),
        csrf: format!("csrf-{digest}"),
        expires: 1_780_300_000,
    }
}

pub fn a_session_is_found_by_its_digest_until_closed(s: &impl Store) {
    let r = s.open();
    r.add_account(&clerk("李娜")).unwrap();
    r.open_session(&session("d1", "李娜")).unwrap();
    r.open_session(&session("d2", "李娜")).unwrap();
    let found = s.open().session("d1").unwrap().unwrap();
    assert_eq!(found.account.name, "李娜");
    assert_eq!(
        (found.csrf.as_str(), found.expires),
        ("csrf-d1", 1_780_300_000)
    );
    r.close_session("d1").unwrap();
    assert!(r.session("d1").unwrap().is_none());
    assert!(r.session("d2").unwrap().is_some());
    r.disable_account("李娜").unwrap();
    assert!(
        r.session("d2").unwrap().is_none(),
        "disabling ends sessions"
    );
}

pub fn api_clients_are_found_by_their_token_digest_until_disabled(s: &impl Store) {
    let r = s.open();
    r.add_client("排队系统", "t1", "2026-06-01 09:00:00")
        .unwrap();
    assert!(matches!(
        r.add_client("排队系统", "t2", "2026-06-01 09:00:00"),
        Err(RegisterError::Exists { .. })
    ));
    assert_eq!(r.client("t1").unwrap().as_deref(), Some("排队系统"));
    assert_eq!(r.client("t2").unwrap(), None);
    assert!(r.disable_client("排队系统").unwrap());
    assert!(!r.disable_client("叫号机").unwrap());
    assert_eq!(
        s.open().client("t1").unwrap(),
        None,
        "a disabled client's token opens nothing"
    );
}

pub fn the_audit_log_lists_newest_first(s: &impl Store) {
    let r = s.open();
    for (i, action) in ["issue", "view", "reprint"].into_iter().enumerate() {
        r.audit(&NewAudit {
            at: format!("2026-06-01 09:00:0{i}"),
            who: "李娜".into(),
            action: action.into(),
            subject: "2026-0001".into(),
            address: "127.0.0.1".into(),
        })
        .unwrap();
    }
    let log = s.open().audit_log(2).unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.entry.action.as_str()).collect();
    assert_eq!(actions, ["reprint", "view"]);
    assert!(log[0].seq > log[1].seq);
}

pub fn each_hall_numbers_on_its_own_when_the_pattern_says_so(s: &impl Store) {
    let shared = s.open();
    // `{hall}` in the pattern: the hall's own sequence; else the city's.
    let issue_in = |r: &dyn Register, hall: &str, own: bool| -> (String, u32) {
        let mut rec = record(2020, "passport", &["居民身份证"]);
        rec.hall = Some(hall.into());
        rec.sequence = if own { hall.into() } else { String::new() };
        let number_for = |seq: u32| {
            if own {
                format!("乌政服告〔2020〕{hall}{seq}号")
            } else {
                format!("乌政服告〔2020〕{seq}号")
            }
        };
        let n = r.issue(rec, &number_for, &mut pdf).unwrap();
        assert_eq!(n.record.hall.as_deref(), Some(hall));
        (n.number, n.seq)
    };
    let got: Vec<(String, u32)> = std::thread::scope(|scope| {
        let handles: Vec<_> = ["海勃湾", "乌达", "海勃湾", "乌达"]
            .into_iter()
            .map(|hall| {
                let shared = shared.as_ref();
                scope.spawn(move || {
                    (0..3)
                        .map(|_| issue_in(shared, hall, true))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    for hall in ["海勃湾", "乌达"] {
        let mut seqs: Vec<u32> = got
            .iter()
            .filter(|(n, _)| n.contains(hall))
            .map(|(_, s)| *s)
            .collect();
        seqs.sort();
        assert_eq!(
            seqs,
            (1..=6).collect::<Vec<_>>(),
            "{hall}: consecutive, once each"
        );
    }
    // The city-wide sequence is apart from the halls' own.
    let r = s.open();
    assert_eq!(
        issue_in(r.as_ref(), "海南", false),
        ("乌政服告〔2020〕1号".into(), 1)
    );
    assert_eq!(
        issue_in(r.as_ref(), "乌达", false),
        ("乌政服告〔2020〕2号".into(), 2)
    );
    assert_eq!(issue_in(r.as_ref(), "乌达", true).1, 7);
    let back = r.get("乌政服告〔2020〕乌达7号").unwrap().unwrap();
    assert_eq!(
        (back.record.hall.as_deref(), back.record.sequence.as_str()),
        (Some("乌达"), "乌达")
    );
    let city = r.get("乌政服告〔2020〕2号").unwrap().unwrap();
    assert_eq!(
        (city.record.hall.as_deref(), city.record.sequence.as_str()),
        (Some("乌达"), "")
    );
    // A short number of the two sequences names both.
    match r.find("2020-7") {
        Ok(n) => assert_eq!(n.number, "乌政服告〔2020〕乌达7号"),
        Err(e) => panic!("{e}"),
    }
    assert!(matches!(
        r.find("2020-1"),
        Err(RegisterError::Ambiguous { .. })
    ));
}
