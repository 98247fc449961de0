-- Reference data: admin-editable lists that catalog records point to.
CREATE TABLE provinces (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_fa TEXT NOT NULL
);

CREATE TABLE sectors (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_fa TEXT NOT NULL
);

CREATE TABLE target_groups (
    code TEXT PRIMARY KEY,
    name_en TEXT NOT NULL,
    name_fa TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    row_version INTEGER NOT NULL DEFAULT 1
);

-- Partner agencies and their agreements (MoUs).
CREATE TABLE partner_agencies (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    name_en TEXT NOT NULL,
    name_fa TEXT NOT NULL,
    country TEXT NOT NULL CHECK (length(country) = 2),
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    agreement_signed_on TEXT NULL,
    agreement_ends_on TEXT NULL,
    note TEXT NULL,
    search_text TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK (agreement_ends_on IS NULL OR agreement_signed_on IS NULL OR agreement_ends_on >= agreement_signed_on)
);

CREATE TABLE partner_sectors (
    partner_id TEXT NOT NULL REFERENCES partner_agencies (id),
    sector_code TEXT NOT NULL REFERENCES sectors (code),
    PRIMARY KEY (partner_id, sector_code)
);

-- Each extension of an agreement, kept as history.
CREATE TABLE partner_agreement_extensions (
    id TEXT PRIMARY KEY,
    partner_id TEXT NOT NULL REFERENCES partner_agencies (id),
    previous_ends_on TEXT NULL,
    new_ends_on TEXT NULL,
    reason TEXT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by_key_id TEXT NULL
);
CREATE INDEX ix_partner_extensions_partner ON partner_agreement_extensions (partner_id);

-- Competency standards: national code + version. An active version is immutable; change = new version.
CREATE TABLE standards (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    status TEXT NOT NULL CHECK (status IN ('draft', 'active', 'superseded', 'withdrawn')),
    isco_code TEXT NOT NULL CHECK (length(isco_code) = 4),
    sector_code TEXT NOT NULL REFERENCES sectors (code),
    title_fa TEXT NOT NULL,
    title_en TEXT NOT NULL,
    theory_hours INTEGER NOT NULL CHECK (theory_hours >= 0),
    practical_hours INTEGER NOT NULL CHECK (practical_hours >= 0),
    theory_pass_mark REAL NOT NULL CHECK (theory_pass_mark BETWEEN 0 AND 100),
    practical_pass_mark REAL NOT NULL CHECK (practical_pass_mark BETWEEN 0 AND 100),
    validity_months INTEGER NULL CHECK (validity_months IS NULL OR validity_months > 0),
    effective_from TEXT NULL,
    effective_to TEXT NULL,
    superseded_by_id TEXT NULL REFERENCES standards (id),
    supersession_equivalent INTEGER NULL,
    status_reason TEXT NULL,
    drafted_by_partner_id TEXT NULL REFERENCES partner_agencies (id),
    search_text TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (code, version),
    CHECK (status = 'draft' OR effective_from IS NOT NULL),
    CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from)
);
CREATE INDEX ix_standards_code_effective ON standards (code, effective_from);
CREATE INDEX ix_standards_sector ON standards (sector_code);

-- Partner agencies that co-authored a standard version.
CREATE TABLE standard_partners (
    standard_id TEXT NOT NULL REFERENCES standards (id),
    partner_id TEXT NOT NULL REFERENCES partner_agencies (id),
    PRIMARY KEY (standard_id, partner_id)
);

-- Training centers: public centers, licensed private institutes, partner-run and foreign centers.
CREATE TABLE training_centers (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('public', 'private-institute', 'partner-run', 'foreign')),
    name_fa TEXT NOT NULL,
    name_en TEXT NOT NULL,
    province_code TEXT NULL REFERENCES provinces (code),
    country TEXT NOT NULL CHECK (length(country) = 2),
    region TEXT NULL,
    city TEXT NOT NULL,
    address TEXT NULL,
    phone TEXT NULL,
    email TEXT NULL,
    partner_id TEXT NULL REFERENCES partner_agencies (id),
    search_text TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((kind = 'foreign') = (province_code IS NULL)),
    CHECK (kind = 'foreign' OR country = 'IR')
);
CREATE INDEX ix_training_centers_province ON training_centers (province_code);

-- Licences, with their validity period. Status over time lives in licence_status_changes.
CREATE TABLE center_licences (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES training_centers (id),
    number TEXT NOT NULL UNIQUE,
    valid_from TEXT NOT NULL,
    valid_to TEXT NULL,
    created_at TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_center_licences_center ON center_licences (center_id, valid_from);

-- A licence's status from a date on: "was the licence active on the exam date" reads the latest change on or before it.
CREATE TABLE licence_status_changes (
    id TEXT PRIMARY KEY,
    licence_id TEXT NOT NULL REFERENCES center_licences (id),
    status TEXT NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    effective_from TEXT NOT NULL,
    reason TEXT NULL,
    recorded_at TEXT NOT NULL,
    recorded_by_key_id TEXT NULL
);
CREATE INDEX ix_licence_status_changes_licence ON licence_status_changes (licence_id, effective_from);

-- The standards (by code) a center may assess, each for a period.
CREATE TABLE center_scopes (
    id TEXT PRIMARY KEY,
    center_id TEXT NOT NULL REFERENCES training_centers (id),
    standard_code TEXT NOT NULL,
    valid_from TEXT NOT NULL,
    valid_to TEXT NULL,
    reason TEXT NULL,
    created_at TEXT NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_center_scopes_center_code ON center_scopes (center_id, standard_code);

-- Trainees: one person, one record. Identified by Iranian national ID or by passport + nationality.
CREATE TABLE trainees (
    id TEXT PRIMARY KEY,
    national_id TEXT NULL UNIQUE,
    passport_number TEXT NULL,
    nationality TEXT NULL,
    given_name_fa TEXT NOT NULL,
    family_name_fa TEXT NOT NULL,
    given_name_latin TEXT NOT NULL,
    family_name_latin TEXT NOT NULL,
    birth_date TEXT NOT NULL,
    gender TEXT NOT NULL CHECK (gender IN ('female', 'male')),
    phone TEXT NULL,
    email TEXT NULL,
    created_by_center_id TEXT NULL REFERENCES training_centers (id),
    search_text TEXT NOT NULL,
    row_version INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (passport_number, nationality),
    CHECK (national_id IS NOT NULL OR (passport_number IS NOT NULL AND nationality IS NOT NULL))
);

CREATE TABLE trainee_target_groups (
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    target_group_code TEXT NOT NULL REFERENCES target_groups (code),
    PRIMARY KEY (trainee_id, target_group_code)
);

-- Which centers may see a trainee: the one that created the record and every center that assessed them.
CREATE TABLE center_trainees (
    center_id TEXT NOT NULL REFERENCES training_centers (id),
    trainee_id TEXT NOT NULL REFERENCES trainees (id),
    PRIMARY KEY (center_id, trainee_id)
);
CREATE INDEX ix_center_trainees_trainee ON center_trainees (trainee_id);

-- Reference data carried from the public reports (shared/reference at the time of writing).
INSERT INTO provinces (code, name_en, name_fa) VALUES
    ('IR-01', 'East Azerbaijan', 'آذربایجان شرقی'),
    ('IR-02', 'West Azerbaijan', 'آذربایجان غربی'),
    ('IR-03', 'Ardabil', 'اردبیل'),
    ('IR-04', 'Isfahan', 'اصفهان'),
    ('IR-05', 'Ilam', 'ایلام'),
    ('IR-06', 'Bushehr', 'بوشهر'),
    ('IR-07', 'Tehran', 'تهران'),
    ('IR-08', 'Chaharmahal and Bakhtiari', 'چهارمحال و بختیاری'),
    ('IR-10', 'Khuzestan', 'خوزستان'),
    ('IR-11', 'Zanjan', 'زنجان'),
    ('IR-12', 'Semnan', 'سمنان'),
    ('IR-13', 'Sistan and Baluchestan', 'سیستان و بلوچستان'),
    ('IR-14', 'Fars', 'فارس'),
    ('IR-15', 'Kerman', 'کرمان'),
    ('IR-16', 'Kurdistan', 'کردستان'),
    ('IR-17', 'Kermanshah', 'کرمانشاه'),
    ('IR-18', 'Kohgiluyeh and Boyer-Ahmad', 'کهگیلویه و بویراحمد'),
    ('IR-19', 'Gilan', 'گیلان'),
    ('IR-20', 'Lorestan', 'لرستان'),
    ('IR-21', 'Mazandaran', 'مازندران'),
    ('IR-22', 'Markazi', 'مرکزی'),
    ('IR-23', 'Hormozgan', 'هرمزگان'),
    ('IR-24', 'Hamadan', 'همدان'),
    ('IR-25', 'Yazd', 'یزد'),
    ('IR-26', 'Qom', 'قم'),
    ('IR-27', 'Golestan', 'گلستان'),
    ('IR-28', 'Qazvin', 'قزوین'),
    ('IR-29', 'South Khorasan', 'خراسان جنوبی'),
    ('IR-30', 'Razavi Khorasan', 'خراسان رضوی'),
    ('IR-31', 'North Khorasan', 'خراسان شمالی'),
    ('IR-32', 'Alborz', 'البرز');
INSERT INTO sectors (code, name_en, name_fa) VALUES
    ('cinema', 'Cinema and audiovisual', 'سینما و سمعی‌بصری'),
    ('handicrafts', 'Handicrafts and traditional arts', 'صنایع دستی و هنرهای سنتی'),
    ('agri-industries', 'Agricultural industries', 'صنایع کشاورزی'),
    ('oil-gas', 'Oil and gas', 'نفت و گاز'),
    ('ai', 'Artificial intelligence', 'هوش مصنوعی'),
    ('home-based', 'Home-based occupations', 'مشاغل خانگی');
INSERT INTO target_groups (code, name_en, name_fa) VALUES
    ('school-students', 'School students', 'دانش‌آموزان'),
    ('university-students', 'University students', 'دانشجویان'),
    ('university-graduates', 'University graduates', 'فارغ‌التحصیلان دانشگاهی'),
    ('female-heads-of-household', 'Female heads of household', 'زنان سرپرست خانوار'),
    ('child-labourers', 'Child labourers', 'کودکان کار'),
    ('recovered-from-addiction', 'People recovered from addiction', 'افراد بهبودیافته از اعتیاد'),
    ('urban-job-seekers', 'Urban job seekers', 'کارجویان شهری'),
    ('rural-job-seekers', 'Rural job seekers', 'کارجویان روستایی'),
    ('employed-workers', 'Employed workers upskilling', 'شاغلین'),
    ('foreign-nationals', 'Foreign nationals', 'اتباع خارجی'),
    ('other', 'Other', 'سایر');
