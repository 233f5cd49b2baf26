//! The realistic sign-up export that the import benchmark, the kill test and the concurrency test
//! all read: shaped like a Google Forms / Excel download (UTF-8 with a BOM, CRLF record ends, line
//! breaks inside quoted answers, timestamps like `2024/01/08 8:13:24 AM`, multi-select answers
//! joined with ", ", names in many scripts), with about 3% re-submissions of an earlier person and
//! about 1% bad rows. Same rows and seed, same bytes.
//!
//! Shared by `#[path]` from the examples and from `tests/cli`, so there is one generator.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

/// splitmix64: small, fast and the same everywhere.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    pub fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn exp(&mut self, mean: f64) -> f64 {
        -(1.0 - self.unit()).ln() * mean
    }

    /// 1 to `most` distinct options, fewer more likely, in the options' own order (as forms list them).
    fn multi(&mut self, options: &[&str], most: usize) -> String {
        let k = 1 + (self.exp(1.0) as usize).min(most - 1);
        let mut chosen: Vec<usize> = Vec::new();
        while chosen.len() < k.min(options.len()) {
            let i = self.below(options.len());
            if !chosen.contains(&i) {
                chosen.push(i);
            }
        }
        chosen.sort_unstable();
        chosen.iter().map(|i| options[*i]).collect::<Vec<_>>().join(", ")
    }
}

const FIRST: &[&str] = &[
    "Emily",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Ethan",
    "Sophia",
    "Lucas",
    "Chloe",
    "Jacob",
    "Maya",
    "Owen",
    "Harper",
    "Ryan",
    "Grace",
    "Daniel",
    "Sarah",
    "Michael",
    "Jessica",
    "David",
    "Priya",
    "Arjun",
    "Harpreet",
    "Gurpreet",
    "Manjit",
    "Simran",
    "Wei",
    "Jun",
    "Mei",
    "Hiroshi",
    "Yuki",
    "Min-jun",
    "Ji-woo",
    "Nguyen",
    "Thanh",
    "Maria",
    "José",
    "Ramón",
    "Lucía",
    "Begoña",
    "Iñaki",
    "Núria",
    "Joaquín",
    "Émilie",
    "Hélène",
    "François",
    "Jean-François",
    "Marie-Ève",
    "Zoë",
    "Chloé",
    "Søren",
    "Bjørn",
    "Åsa",
    "Jürgen",
    "Zoltán",
    "Łukasz",
    "Małgorzata",
    "Aoife",
    "Siobhán",
    "Seán",
    "Tama",
    "Aroha",
    "Kwame",
    "Amara",
    "Chidi",
    "Fatima",
    "Omar",
    "Layla",
    "Yusuf",
    "Nadia",
    "Dmitri",
    "Anastasia",
    "Olga",
    "Tatiana",
    "Robert \"Bob\"",
    "Katherine \"Kate\"",
    "Mary Ellen",
    "Anne-Marie",
    "芳",
    "伟",
    "静",
    "明",
    "秀英",
    "ᐊᐧᐊᓯᐢ",
    "ᓂᐱᐩ",
    "ᒥᐢᑕᐦᐃᔭ",
];
const LAST: &[&str] = &[
    "Smith",
    "Brown",
    "Tremblay",
    "Martin",
    "Roy",
    "Wilson",
    "MacDonald",
    "Gagnon",
    "Johnson",
    "Taylor",
    "Campbell",
    "Anderson",
    "Lee",
    "Wong",
    "Chen",
    "Li",
    "Singh",
    "Gill",
    "Sandhu",
    "Dhillon",
    "Grewal",
    "Patel",
    "Nguyen",
    "Tran",
    "Kim",
    "Park",
    "Sato",
    "Tanaka",
    "García",
    "Rodríguez",
    "Núñez",
    "Peña",
    "Muñoz",
    "Ibáñez",
    "Côté",
    "Bélanger",
    "Lévesque",
    "Bérubé",
    "Saint-Pierre",
    "O'Brien",
    "O'Neill",
    "McNeil",
    "de la Cruz",
    "Van der Berg",
    "Ødegaard",
    "Sørensen",
    "Ångström",
    "Müller",
    "Schröder",
    "Nowak",
    "Wójcik",
    "Kowalski",
    "Papadopoulos",
    "Okafor",
    "Mensah",
    "Haddad",
    "Al-Sayed",
    "Ivanov",
    "Kuznetsova",
    "Joe",
    "George",
    "Sinclair",
    "Cardinal",
    "Bear",
    "Whitehead",
    "Morningstar",
    "Littlechild",
    "王",
    "李",
    "张",
    "刘",
    "陈",
    "ᑳᐦᑭᐦᑫᐤ",
    "ᒪᐢᑿ",
];
const ROMAN: &[(&str, &str)] = &[
    ("芳", "fang"),
    ("伟", "wei"),
    ("静", "jing"),
    ("明", "ming"),
    ("秀英", "xiuying"),
    ("王", "wang"),
    ("李", "li"),
    ("张", "zhang"),
    ("刘", "liu"),
    ("陈", "chen"),
    ("ᐊᐧᐊᓯᐢ", "awasis"),
    ("ᓂᐱᐩ", "nipiy"),
    ("ᒥᐢᑕᐦᐃᔭ", "mistahiya"),
    ("ᑳᐦᑭᐦᑫᐤ", "kahkihkew"),
    ("ᒪᐢᑿ", "maskwa"),
];
const DOMAINS: &[&str] = &[
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "gmail.com",
    "outlook.com",
    "outlook.com",
    "outlook.com",
    "hotmail.com",
    "hotmail.com",
    "hotmail.com",
    "yahoo.ca",
    "yahoo.com",
    "icloud.com",
    "shaw.ca",
    "telus.net",
    "proton.me",
    "live.ca",
    "sympatico.ca",
    "uvic.ca",
    "ubc.ca",
    "fraserhealth.example.org",
    "xn--caf-dma.example",
];
const REGIONS: &[(&str, &str, &[&str])] = &[
    ("Lower Mainland", "Fraser Health", &["V3", "V4", "V2S", "V2T"]),
    ("Lower Mainland", "Vancouver Coastal Health", &["V5", "V6", "V7"]),
    ("Vancouver Island", "Island Health", &["V8", "V9"]),
    ("Interior", "Interior Health", &["V1", "V2A", "V0E"]),
    ("Kootenays", "Interior Health", &["V1C", "V1L", "V0G"]),
    ("North", "Northern Health", &["V2K", "V2M", "V8J", "V0J"]),
    ("Province-wide", "First Nations Health Authority", &["V0N", "V0K", "V0C"]),
    ("Outside BC", "Not sure", &["T2", "R3", "M5", "H2"]),
];
const COMMUNITY: &[&str] = &[
    "Urban",
    "Urban",
    "Urban",
    "Suburban",
    "Suburban",
    "Rural",
    "Rural",
    "Remote",
    "First Nations community",
    "Prefer not to say",
];
const LANGS: &[&str] = &[
    "French",
    "Punjabi",
    "Mandarin",
    "Cantonese",
    "Tagalog",
    "Spanish",
    "Korean",
    "Vietnamese",
    "Farsi",
    "Arabic",
    "Cree",
    "ASL",
    "Other",
];
const TOPICS: &[&str] = &[
    "Mental health and substance use",
    "Primary care",
    "Cancer care",
    "Chronic disease management",
    "Seniors' care",
    "Maternity and newborn care",
    "Digital health",
    "Research ethics",
    "Patient safety",
    "Health equity, diversity and inclusion",
    "Indigenous cultural safety",
    "Rural and remote access",
    "Emergency care",
    "Palliative and end-of-life care",
    "Disability and accessibility",
];
const AVAIL: &[&str] = &["Weekday mornings", "Weekday afternoons", "Weekday evenings", "Weekends", "Flexible"];
const CONTACT: &[&str] =
    &["Email", "Email", "Email", "Email", "Email", "Email", "Phone", "Phone", "Text message", "Either email or phone"];
const LIVED: &[&str] = &[
    "I have lived with type 1 diabetes since I was 12",
    "I care for my mother, who has dementia",
    "I am a cancer survivor (breast cancer, 2019)",
    "I have used mental health services in Surrey, Langley and Abbotsford",
    "My son was born premature and spent 6 weeks in the NICU",
    "I live with MS and use a wheelchair",
    "I'm a residential school survivor's daughter",
    "I had a hip replacement last year; the wait was 14 months",
    "I was a \"frequent flyer\" at emergency for my asthma",
    "I have long COVID, fatigue, brain fog and all",
    "I moved here from Punjab and navigated the system in a second language",
    "I supported my partner through palliative care at home",
    "I have bipolar disorder, well managed now",
    "I'm a family caregiver to a child with autism",
    "I live 300 km from the nearest hospital",
];
const LIVED_TAIL: &[&str] = &[
    "",
    "",
    "",
    ".",
    ". Happy to share my story.",
    ", and I want to help others \"navigate\" the system.",
    ".\nI have also sat on a patient advisory council before.",
    ".\n\nPlease contact me by email, not phone.",
    " — so I know the gaps first-hand.",
];
const ACCESS: &[&str] = &[
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "Wheelchair access",
    "Closed captioning, please",
    "Materials in large print; \"plain language\" if possible",
    "I need breaks every hour",
    "ASL interpreter",
    "Scent-free rooms, please.\nI react to perfumes.",
    "Meetings after 3 pm, I work mornings",
    "Transportation support",
];
const CONSENT_YES: &str = "Yes, I agree to be contacted about engagement opportunities";
const BAD_EMAILS: &[&str] = &[
    "{h}.{d}",
    "{h}@",
    "@{d}",
    "{h}@@{d}",
    "{h}@{d}@{d}",
    "{h} @{d}",
    "{h}@{d2}",
    "{h}(at){d}",
    "{h}@{d},",
    "<{h}@{d}>",
    "{h}@.{d}",
    "{h}@{d}.",
];
const IMPOSSIBLE: &[&str] =
    &["2026/02/30", "2025/02/29", "2026/04/31", "2026/13/02", "2025/00/10", "2026/06/31", "2025/09/31", "2026/11/31"];

fn handle(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    if let Some((_, roman)) = ROMAN.iter().find(|(n, _)| *n == name) {
        return (*roman).to_string();
    }
    for token in name.replace('"', " ").replace('\'', "").split_whitespace() {
        if let Some((_, roman)) = ROMAN.iter().find(|(n, _)| *n == token) {
            return (*roman).to_string();
        }
        let ascii: String =
            token.nfkd().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect::<String>().to_lowercase();
        if !ascii.is_empty() {
            return ascii;
        }
    }
    "partner".to_string()
}

fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_string() }
}

fn timestamp(seconds: u64) -> String {
    let start = chrono::NaiveDate::from_ymd_opt(2024, 1, 8).unwrap().and_hms_opt(8, 0, 0).unwrap();
    let t = start + chrono::Duration::seconds(seconds as i64);
    let hour = t.format("%H").to_string().parse::<u32>().unwrap();
    let (h12, ampm) = (if hour % 12 == 0 { 12 } else { hour % 12 }, if hour < 12 { "AM" } else { "PM" });
    format!("{} {h12}:{} {ampm}", t.format("%Y/%m/%d"), t.format("%M:%S"))
}

fn phone(r: &mut Rng) -> String {
    let a = r.pick(&["604", "778", "236", "250", "672"]);
    let n = r.below(100);
    match r.below(8) {
        0 => String::new(),
        1 => format!("({a}) 555-01{n:02}"),
        2 => format!("+1 {a} 555 01{n:02}"),
        3 => format!("{a}555 01{n:02}"),
        4 => format!("{a}.555.01{n:02} ext. {}", 10 + r.below(989)),
        _ => format!("{a}-555-01{n:02}"),
    }
}

fn postal(r: &mut Rng, prefixes: &[&str]) -> String {
    const L: &[u8] = b"ABCEGHJKLMNPRSTVXY";
    let mut p = r.pick(prefixes).to_string();
    while p.len() < 3 {
        if p.len() == 1 {
            p.push(char::from(b'0' + r.below(10) as u8));
        } else {
            p.push(char::from(L[r.below(L.len())]));
        }
    }
    let code = format!("{p} {}{}{}", r.below(10), char::from(L[r.below(L.len())]), r.below(10));
    match r.below(10) {
        0 => code.to_lowercase(),
        1 => code.replace(' ', ""),
        _ => code,
    }
}

/// Writes the file; returns (new people, re-submissions, bad rows).
pub fn generate(path: &Path, rows: u64, seed: u64) -> (u64, u64, u64) {
    let mut r = Rng(seed);
    let mut w = BufWriter::with_capacity(1 << 20, File::create(path).unwrap());
    w.write_all(b"\xef\xbb\xbf").unwrap();
    w.write_all(b"Timestamp,First name,Last name,Email address,Phone,Postal code,Region,Community type,Health authority,Languages,Topics of interest,Lived experience,Availability,Accessibility needs,Preferred contact,Consent to be contacted\r\n").unwrap();
    let mean_gap = (2.5 * 365.0 * 86400.0) / rows.max(1) as f64;
    let mut clock = 0u64;
    let mut used = std::collections::HashSet::new();
    let mut people: Vec<(u16, u16, String)> = Vec::new();
    let (mut new, mut dup, mut bad) = (0, 0, 0);
    for _ in 0..rows {
        clock += (r.exp(mean_gap) as u64).max(1);
        let mut ts = timestamp(clock);
        let (region, authority, prefixes) = *r.pick(REGIONS);
        let (first, last, mut email);
        if r.unit() < 0.03 && !people.is_empty() {
            let (f, l, e) = people[r.below(people.len())].clone();
            first = FIRST[f as usize];
            last = LAST[l as usize];
            email = match r.below(6) {
                0 => e.to_uppercase(),
                1 => format!("{}{}", e[..1].to_uppercase(), &e[1..]),
                2 => format!(" {e}"),
                3 => format!("{e} "),
                4 => {
                    let (local, domain) = e.split_once('@').unwrap();
                    format!("{}{}@{}", local[..1].to_uppercase(), &local[1..], domain.to_uppercase())
                }
                _ => format!("  {}{}\t", e[..1].to_uppercase(), &e[1..]),
            };
            dup += 1;
        } else {
            let (fi, li) = (r.below(FIRST.len()), r.below(LAST.len()));
            first = FIRST[fi];
            last = LAST[li];
            let (hf, hl) = (handle(first), handle(last));
            let domain = *r.pick(DOMAINS);
            let base = match r.below(5) {
                0 => format!("{hf}.{hl}"),
                1 => format!("{}{hl}", &hf[..1]),
                2 => format!("{hf}{hl}{}", 1950 + r.below(56)),
                3 => format!("{hf}_{hl}"),
                _ => format!("{hf}.{hl}+network"),
            };
            email = format!("{base}@{domain}");
            let mut k = 1;
            while used.contains(&email) {
                k += 1;
                email = format!("{base}{k}@{domain}");
            }
            used.insert(email.clone());
            if r.unit() < 0.01 / 0.97 {
                match r.below(3) {
                    0 => email = if r.unit() < 0.7 { String::new() } else { "   ".to_string() },
                    1 => {
                        let d2 = domain.split('.').next().unwrap();
                        email = r.pick(BAD_EMAILS).replace("{h}", &base).replace("{d2}", d2).replace("{d}", domain);
                    }
                    _ => {
                        ts = format!("{}{}", r.pick(IMPOSSIBLE), &ts[10..]);
                        people.push((fi as u16, li as u16, email.clone()));
                    }
                }
                bad += 1;
            } else {
                people.push((fi as u16, li as u16, email.clone()));
                new += 1;
            }
            if r.unit() < 0.08 && email.contains('@') {
                email = format!("{}{}", email[..1].to_uppercase(), &email[1..]);
            }
        }
        let lived = if r.unit() < 0.85 { format!("{}{}", r.pick(LIVED), r.pick(LIVED_TAIL)) } else { String::new() };
        let languages = if r.unit() < 0.3 { r.multi(LANGS, 3) } else { "English".to_string() };
        let consent = if r.below(19) == 0 { "No" } else { CONSENT_YES };
        let cells = [
            ts,
            first.to_string(),
            last.to_string(),
            email,
            phone(&mut r),
            postal(&mut r, prefixes),
            region.to_string(),
            r.pick(COMMUNITY).to_string(),
            authority.to_string(),
            languages,
            r.multi(TOPICS, 5),
            lived,
            r.multi(AVAIL, 3),
            r.pick(ACCESS).to_string(),
            r.pick(CONTACT).to_string(),
            consent.to_string(),
        ];
        let line = cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",");
        w.write_all(line.as_bytes()).unwrap();
        w.write_all(b"\r\n").unwrap();
    }
    w.flush().unwrap();
    (new, dup, bad)
}
