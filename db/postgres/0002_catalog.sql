-- Reference data: admin-editable lists that catalog records point to.
CREATE TABLE provinces (
    code text PRIMARY KEY,
    name_en text NOT NULL,
    name_fa text NOT NULL
);

CREATE TABLE sectors (
    code text PRIMARY KEY,
    name_en text NOT NULL,
    name_fa text NOT NULL
);

CREATE TABLE target_groups (
    code text PRIMARY KEY,
    name_en text NOT NULL,
    name_fa text NOT NULL,
    active boolean NOT NULL DEFAULT true,
    row_version integer NOT NULL DEFAULT 1
);

-- Partner agencies and their agreements (MoUs).
CREATE TABLE partner_agencies (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    name_en text NOT NULL,
    name_fa text NOT NULL,
    country text NOT NULL CHECK (length(country) = 2),
    status text NOT NULL CHECK (status IN ('active', 'suspended', 'ended')),
    agreement_signed_on date NULL,
    agreement_ends_on date NULL,
    note text NULL,
    search_text text NOT NULL,
    row_version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK (agreement_ends_on IS NULL OR agreement_signed_on IS NULL OR agreement_ends_on >= agreement_signed_on)
);

CREATE TABLE partner_sectors (
    partner_id uuid NOT NULL REFERENCES partner_agencies (id),
    sector_code text NOT NULL REFERENCES sectors (code),
    PRIMARY KEY (partner_id, sector_code)
);

-- Each extension of an agreement, kept as history.
CREATE TABLE partner_agreement_extensions (
    id uuid PRIMARY KEY,
    partner_id uuid NOT NULL REFERENCES partner_agencies (id),
    previous_ends_on date NULL,
    new_ends_on date NULL,
    reason text NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by_key_id uuid NULL
);
CREATE INDEX ix_partner_extensions_partner ON partner_agreement_extensions (partner_id);

-- Competency standards: national code + version. An active version is immutable; change = new version.
CREATE TABLE standards (
    id uuid PRIMARY KEY,
    code text NOT NULL,
    version integer NOT NULL CHECK (version >= 1),
    status text NOT NULL CHECK (status IN ('draft', 'active', 'superseded', 'withdrawn')),
    isco_code text NOT NULL CHECK (length(isco_code) = 4),
    sector_code text NOT NULL REFERENCES sectors (code),
    title_fa text NOT NULL,
    title_en text NOT NULL,
    theory_hours integer NOT NULL CHECK (theory_hours >= 0),
    practical_hours integer NOT NULL CHECK (practical_hours >= 0),
    theory_pass_mark numeric(4,1) NOT NULL CHECK (theory_pass_mark BETWEEN 0 AND 100),
    practical_pass_mark numeric(4,1) NOT NULL CHECK (practical_pass_mark BETWEEN 0 AND 100),
    validity_months integer NULL CHECK (validity_months IS NULL OR validity_months > 0),
    effective_from date NULL,
    effective_to date NULL,
    superseded_by_id uuid NULL REFERENCES standards (id),
    supersession_equivalent boolean NULL,
    status_reason text NULL,
    drafted_by_partner_id uuid NULL REFERENCES partner_agencies (id),
    search_text text NOT NULL,
    row_version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (code, version),
    CHECK (status = 'draft' OR effective_from IS NOT NULL),
    CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from)
);
CREATE INDEX ix_standards_code_effective ON standards (code, effective_from);
CREATE INDEX ix_standards_sector ON standards (sector_code);

-- Partner agencies that co-authored a standard version.
CREATE TABLE standard_partners (
    standard_id uuid NOT NULL REFERENCES standards (id),
    partner_id uuid NOT NULL REFERENCES partner_agencies (id),
    PRIMARY KEY (standard_id, partner_id)
);

-- Training centers: public centers, licensed private institutes, partner-run and foreign centers.
CREATE TABLE training_centers (
    id uuid PRIMARY KEY,
    code text NOT NULL UNIQUE,
    kind text NOT NULL CHECK (kind IN ('public', 'private-institute', 'partner-run', 'foreign')),
    name_fa text NOT NULL,
    name_en text NOT NULL,
    province_code text NULL REFERENCES provinces (code),
    country text NOT NULL CHECK (length(country) = 2),
    region text NULL,
    city text NOT NULL,
    address text NULL,
    phone text NULL,
    email text NULL,
    partner_id uuid NULL REFERENCES partner_agencies (id),
    search_text text NOT NULL,
    row_version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CHECK ((kind = 'foreign') = (province_code IS NULL)),
    CHECK (kind = 'foreign' OR country = 'IR')
);
CREATE INDEX ix_training_centers_province ON training_centers (province_code);

-- Licences, with their validity period. Status over time lives in licence_status_changes.
CREATE TABLE center_licences (
    id uuid PRIMARY KEY,
    center_id uuid NOT NULL REFERENCES training_centers (id),
    number text NOT NULL UNIQUE,
    valid_from date NOT NULL,
    valid_to date NULL,
    created_at timestamptz NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_center_licences_center ON center_licences (center_id, valid_from);

-- A licence's status from a date on: "was the licence active on the exam date" reads the latest change on or before it.
CREATE TABLE licence_status_changes (
    id uuid PRIMARY KEY,
    licence_id uuid NOT NULL REFERENCES center_licences (id),
    status text NOT NULL CHECK (status IN ('active', 'suspended', 'revoked')),
    effective_from date NOT NULL,
    reason text NULL,
    recorded_at timestamptz NOT NULL,
    recorded_by_key_id uuid NULL
);
CREATE INDEX ix_licence_status_changes_licence ON licence_status_changes (licence_id, effective_from);

-- The standards (by code) a center may assess, each for a period.
CREATE TABLE center_scopes (
    id uuid PRIMARY KEY,
    center_id uuid NOT NULL REFERENCES training_centers (id),
    standard_code text NOT NULL,
    valid_from date NOT NULL,
    valid_to date NULL,
    reason text NULL,
    created_at timestamptz NOT NULL,
    CHECK (valid_to IS NULL OR valid_to >= valid_from)
);
CREATE INDEX ix_center_scopes_center_code ON center_scopes (center_id, standard_code);

-- Trainees: one person, one record. Identified by Iranian national ID or by passport + nationality.
CREATE TABLE trainees (
    id uuid PRIMARY KEY,
    national_id text NULL UNIQUE,
    passport_number text NULL,
    nationality text NULL,
    given_name_fa text NOT NULL,
    family_name_fa text NOT NULL,
    given_name_latin text NOT NULL,
    family_name_latin text NOT NULL,
    birth_date date NOT NULL,
    gender text NOT NULL CHECK (gender IN ('female', 'male')),
    phone text NULL,
    email text NULL,
    created_by_center_id uuid NULL REFERENCES training_centers (id),
    search_text text NOT NULL,
    row_version integer NOT NULL DEFAULT 1,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    UNIQUE (passport_number, nationality),
    CHECK (national_id IS NOT NULL OR (passport_number IS NOT NULL AND nationality IS NOT NULL))
);

CREATE TABLE trainee_target_groups (
    trainee_id uuid NOT NULL REFERENCES trainees (id),
    target_group_code text NOT NULL REFERENCES target_groups (code),
    PRIMARY KEY (trainee_id, target_group_code)
);

-- Which centers may see a trainee: the one that created the record and every center that assessed them.
CREATE TABLE center_trainees (
    center_id uuid NOT NULL REFERENCES training_centers (id),
    trainee_id uuid NOT NULL REFERENCES trainees (id),
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
