using System.Text.Json.Nodes;

namespace SkillsRegistry.Api.Infrastructure.OpenApi;

/// <summary>A realistic request body per operation, shown in Swagger UI and copied by client generators.</summary>
internal static class RequestExamples
{
    private static readonly Dictionary<string, string> ByOperation = new(StringComparer.Ordinal)
    {
        ["CreateApiKey"] = """{"name":"Ahvaz center 1 results upload","role":"center","centerId":"01a200c4-1e86-7b92-9e84-0788f565bfd0","partnerId":null,"expiresAt":"2027-03-20T00:00:00Z"}""",
        ["SubmitAssessmentBatch"] = """
            {"centerId":null,"rows":[{"externalRef":"AHV-1405-T3-0001","trainee":{"id":null,"nationalId":"0084575948","passportNumber":null,"nationality":null,
            "givenNameFa":"نرگس","familyNameFa":"امیری","givenNameLatin":"Narges","familyNameLatin":"Amiri","birthDate":"2001-07-15","gender":"female",
            "targetGroups":["rural-job-seekers"]},"standardCode":"7514-31-003","standardVersion":null,"examDate":"2026-11-10","theoryScore":72.5,
            "practicalScore":88,"assessorName":null,"assessorId":"PR-KHZ-0457","secondAssessorId":null}]}
            """,
        ["VoidAssessment"] = """{"reason":"Result entered for the wrong trainee"}""",
        ["RevokeCertificate"] = """{"reasonCode":"fraud","reason":"Practical exam papers were found to be forged (case 1405/231)"}""",
        ["CorrectCertificate"] = """{"reason":"Practical score entered as 68 instead of 86 (exam sheet 1405/77)","practicalScore":86}""",
        ["CreatePartner"] = """{"code":"cinema-org","nameEn":"Cinema Organization","nameFa":"سازمان سینمایی","country":"IR","sectors":["cinema"],"agreementSignedOn":"2025-08-25","agreementEndsOn":null,"status":"active","note":"MoU on cinema training quality"}""",
        ["UpdatePartner"] = """{"nameEn":"Cinema Organization","nameFa":"سازمان سینمایی","country":"IR","sectors":["cinema"],"status":"active","note":"Joint working group formed"}""",
        ["ExtendPartnerAgreement"] = """{"newEndsOn":"2031-04-21","reason":"Extended by mutual agreement for three more years"}""",
        ["CreateTargetGroup"] = """{"code":"returning-migrants","nameEn":"Returning migrants","nameFa":"مهاجران بازگشتی"}""",
        ["UpdateTargetGroup"] = """{"nameEn":"Returning migrants","nameFa":"مهاجران بازگشته","active":true}""",
        ["CreateStandard"] = """{"code":"7318-12-001","iscoCode":"7318","sector":"handicrafts","titleFa":"بافنده فرش دستباف","titleEn":"Hand-woven carpet weaver","theoryHours":60,"practicalHours":340,"theoryPassMark":50,"practicalPassMark":60,"validityMonths":null,"partnerIds":[]}""",
        ["UpdateStandard"] = """{"iscoCode":"7318","sector":"handicrafts","titleFa":"بافنده فرش دستباف","titleEn":"Hand-knotted carpet weaver","theoryHours":60,"practicalHours":340,"theoryPassMark":50,"practicalPassMark":60,"validityMonths":null,"partnerIds":[]}""",
        ["ActivateStandard"] = """{"effectiveFrom":"2026-03-21"}""",
        ["SupersedeStandard"] = """{"replacementId":"01a200c4-1e2b-790f-9218-f91f96d8c5ab","equivalent":true,"effectiveFrom":"2027-03-21"}""",
        ["WithdrawStandard"] = """{"reason":"Occupation no longer recognised","effectiveTo":"2026-12-31"}""",
        ["CreateCenter"] = """{"code":"KHZ-AHV-P17","kind":"private-institute","nameFa":"آموزشگاه آزاد فنی و حرفه‌ای نخل","nameEn":"Nakhl Private Vocational Institute","provinceCode":"IR-10","country":"IR","region":null,"city":"Ahvaz","address":"Kianpars, Ahvaz","phone":"+98 61 3344 1717","email":"info@nakhl.example","partnerId":null}""",
        ["UpdateCenter"] = """{"kind":"private-institute","nameFa":"آموزشگاه آزاد فنی و حرفه‌ای نخل","nameEn":"Nakhl Private Vocational Institute","provinceCode":"IR-10","country":"IR","region":null,"city":"Ahvaz","address":"Golestan, Ahvaz","phone":"+98 61 3344 1717","email":"info@nakhl.example","partnerId":null}""",
        ["UpdateCenterContact"] = """{"address":"Golestan, Ahvaz","phone":"+98 61 3344 1718","email":null}""",
        ["CreateCenterLicence"] = """{"number":"LIC-KHZ-1405-0117","validFrom":"2026-03-21","validTo":"2029-03-20"}""",
        ["ChangeCenterLicenceStatus"] = """{"status":"suspended","effectiveFrom":"2026-11-22","reason":"Inspection found unqualified assessors"}""",
        ["AddCenterScope"] = """{"standardCode":"7514-31-003","validFrom":"2026-03-21","validTo":null,"reason":"Licence extended to date processing"}""",
        ["EndCenterScope"] = """{"validTo":"2026-12-31","reason":"Workshop closed"}""",
        ["CreateTrainee"] = """{"nationalId":"0084575948","passportNumber":null,"nationality":null,"givenNameFa":"زهرا","familyNameFa":"کریمی‌نژاد","givenNameLatin":"Zahra","familyNameLatin":"Karimi-Nezhad","birthDate":"1998-03-21","gender":"female","targetGroups":["female-heads-of-household"],"phone":"+98 912 000 0000","email":null}""",
        ["UpdateTrainee"] = """{"nationalId":null,"passportNumber":null,"nationality":null,"givenNameFa":"زهرا","familyNameFa":"کریمی‌نژاد","givenNameLatin":"Zahra","familyNameLatin":"Karimi-Nezhad","birthDate":"1998-03-21","gender":"female","targetGroups":["female-heads-of-household","university-graduates"],"phone":null,"email":"zahra@example.org"}""",
        ["CreateStandardVersion"] = """{"iscoCode":null,"sector":null,"titleFa":null,"titleEn":null,"theoryHours":null,"practicalHours":360,"theoryPassMark":null,"practicalPassMark":null,"validityMonths":null,"partnerIds":null}""",
        ["VerifyCertificates"] = """{"items":[{"number":"1405-10-483920175-K","token":"eyJhbGciOiJFUzI1NiIsImtpZCI6InJlZ2lzdHJ5LTIwMjYtMDMifQ.eyJuIjoiMTQwNS0xMC00ODM5MjAxNzUtSyJ9.c2lnbmF0dXJl"},{"number":"1404-10-271846390-K","token":null}]}""",
        ["CreateHolderSession"] = """{"code":"7KQ2-M9XD-4TRB","birthDate":"1998-03-21"}""",
        ["CreateHolderShare"] = """{"certificateIds":null,"wholeTranscript":true,"days":30,"recipientLabel":"Ahvaz Steel, HR"}""",
        ["CreatePractitioner"] = """{"person":{"nationalId":"0084575948","passportNumber":null,"nationality":null,"givenNameFa":"حمید","familyNameFa":"یزدانی","givenNameLatin":"Hamid","familyNameLatin":"Yazdani","birthDate":"1979-08-02","gender":"male","targetGroups":[],"phone":"+98 916 000 0000","email":null},"code":"PR-KHZ-0457","homeCenterId":null,"homePartnerId":null}""",
        ["AddPractitionerQualification"] = """{"standardCode":"7318-12-001","kind":"assessor","source":"partner-accreditation","certificateId":null,"reason":null,"validFrom":"2026-03-21","validTo":"2028-03-19"}""",
        ["WithdrawPractitionerQualification"] = """{"reason":"Passed candidates who had not completed the practical test (inspection 1405/88)","forCause":true,"effectiveFrom":null}""",
        ["AddPractitionerRefresherCourse"] = """{"courseCode":"RC-7318-1405","title":"Assessing hand-woven carpets: new practical tasks","hours":16,"completedOn":"2026-10-14","providerCenterId":null,"providerPartnerId":null}""",
        ["AddPractitionerVisit"] = """{"centerId":"01a200c4-1e86-7b92-9e84-0788f565bfd0","firstDay":"2026-11-21","lastDay":"2026-12-05"}""",
        ["CreateWebhook"] = """{"url":"https://partner.example.org/skills-registry/events","events":["certificate.issued","certificate.revoked"]}""",
    };

    public static JsonNode? For(string? operationId) =>
        operationId is not null && ByOperation.TryGetValue(operationId, out var json) ? JsonNode.Parse(json) : null;
}
