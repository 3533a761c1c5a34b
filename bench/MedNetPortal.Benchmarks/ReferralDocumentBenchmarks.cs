using BenchmarkDotNet.Attributes;
using MedNetPortal.Fhir;
using MedNetPortal.Fhir.Letters;
using MedNetPortal.Web.Features.Demo;

namespace MedNetPortal.Benchmarks;

/// <summary>
/// Building, validating and serialising a full referral document: every section the JP-CLINS builder writes (sender,
/// destination, the structured section with all 8 of its sections, remarks: 12 sections) with long texts and 20
/// diagnosis and 5 allergy copies as entries. In process, no HTTP.
/// </summary>
[MemoryDiagnoser]
public class ReferralDocumentBenchmarks
{
    private ReferralLetterContent _content = null!;

    [GlobalSetup]
    public void Setup() => _content = Content();

    [Benchmark(Description = "Validate content + build + validate bundle + serialise")]
    public int BuildValidateSerialise()
    {
        if (ReferralDocumentValidator.Validate(_content).Count != 0)
        {
            throw new InvalidOperationException("The benchmark letter is not valid.");
        }

        var bundle = ReferralDocumentBuilder.Build(_content);
        if (ReferralDocumentValidator.Validate(bundle).Count != 0)
        {
            throw new InvalidOperationException("The built document is not valid.");
        }

        return FhirJson.Serialize(bundle).Length;
    }

    /// <summary>The demo's first letter with every text filled (~2,000 characters each) and 20 + 5 shared-record copies.</summary>
    internal static ReferralLetterContent Content()
    {
        var record = BenchRecords.Build(RecordShape.Typical);
        var template = DemoLetters.ToContent(DemoLetters.All[0]);
        var copies = record.Transaction.Entry.Select(e => e.Resource).ToList();
        string Long(string text) => string.Concat(Enumerable.Repeat(text, 40));
        return template with
        {
            DiagnosisCopies = copies.OfType<Hl7.Fhir.Model.Condition>().Take(20).Select(c => new SharedResourceCopy(FhirJson.Serialize(c))).ToList(),
            AllergyCopies = copies.OfType<Hl7.Fhir.Model.AllergyIntolerance>().Take(5).Select(a => new SharedResourceCopy(FhirJson.Serialize(a))).ToList(),
            PresentIllness = Long("階段昇降時に前胸部の圧迫感が数分続き、安静で軽快します。"),
            PastAndFamilyHistory = Long("高血圧症（2015年〜）、脂質異常症（2018年〜）。"),
            Allergies = Long("ペニシリン系抗菌薬でアナフィラキシーの既往。"),
            CurrentMedication = Long("アムロジピン錠5mg 1日1回朝食後 28日分。"),
            ClinicalCourse = Long("降圧薬で血圧は安定していましたが、胸部症状が出現しました。"),
            TestResults = Long("2025-01-10 LDL-C 142 mg/dL、HbA1c 6.1 %。"),
            Remarks = Long("ご高診のほどよろしくお願い申し上げます。"),
        };
    }
}
