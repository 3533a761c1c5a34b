using Bunit;
using MedNetPortal.Web.Components.Shared;
using MedNetPortal.Web.Features.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Components.Shared;

public sealed class PrintButtonAuditTests : PortalTestContext
{
    private readonly RecordingTrail trail = new();

    public PrintButtonAuditTests()
    {
        Services.AddSingleton<IAuditTrail>(trail);
    }

    [Fact]
    public void A_patient_document_print_is_audited_once_on_the_server_before_the_print_dialog()
    {
        var module = JSInterop.SetupModule("./assets/js/print.js");
        module.SetupVoid("printPage").SetVoidResult();
        var record = new AuditRecord(AuditAction.LetterPrinted) { PatientId = "pat-1", Detail = "letter=b1" };
        var button = Render<PrintButton>(p => p.Add(b => b.Audit, record));

        button.Find("[data-testid=print-button]").Click();

        Assert.Equal([record], trail.Records);
        Assert.Single(module.Invocations["printPage"]);
    }

    [Fact]
    public void When_the_trail_cannot_be_written_nothing_is_printed()
    {
        trail.Fail = true;
        var module = JSInterop.SetupModule("./assets/js/print.js");
        module.SetupVoid("printPage").SetVoidResult();
        var button = Render<PrintButton>(p => p.Add(b => b.Audit, new AuditRecord(AuditAction.LetterPrinted) { PatientId = "pat-1" }));

        Assert.ThrowsAny<Exception>(() => button.Find("[data-testid=print-button]").Click());

        Assert.Empty(module.Invocations["printPage"]);
    }

    [Fact]
    public void Without_a_record_the_layout_button_prints_and_audits_nothing()
    {
        var module = JSInterop.SetupModule("./assets/js/print.js");
        module.SetupVoid("printPage").SetVoidResult();
        var button = Render<PrintButton>();

        button.Find("[data-testid=print-button]").Click();

        Assert.Empty(trail.Records);
        Assert.Single(module.Invocations["printPage"]);
    }

    private sealed class RecordingTrail : IAuditTrail
    {
        public List<AuditRecord> Records { get; } = [];

        public bool Fail { get; set; }

        public Task RecordAsync(AuditRecord record, CancellationToken cancellationToken)
        {
            if (Fail)
            {
                throw new InvalidOperationException("audit store down");
            }

            Records.Add(record);
            return Task.CompletedTask;
        }

        public string HashIdentifier(string value) => "h";
    }
}
