using MedNetPortal.Web.Features.Letters.Compose;
using MedNetPortal.Web.Features.Letters.Mailbox;
using MedNetPortal.Web.Features.Patients;

namespace MedNetPortal.Web.Features.Letters;

/// <summary>Registration of the letters feature: compose and drafts, sending, the mailbox, the letter page and read status.</summary>
public static class LettersExtensions
{
    public static IServiceCollection AddLetters(this IServiceCollection services)
    {
        services.AddSingleton<FacilityOrganizationCache>();
        services.AddScoped<FacilityOrganizations>();
        services.AddScoped<ReferralLetterSender>();
        services.AddScoped<FacilityDirectory>();
        services.AddScoped<IFacilityDirectory>(provider => provider.GetRequiredService<FacilityDirectory>());
        services.AddScoped<ReferralDraftService>();
        services.AddScoped<IReferralDraftStarter>(provider => provider.GetRequiredService<ReferralDraftService>());
        services.AddScoped<IReferralDraftService>(provider => provider.GetRequiredService<ReferralDraftService>());
        services.AddScoped<IDocumentSource, DocumentService>();
        services.AddScoped<IReferralMailbox, ReferralMailboxService>();
        services.AddScoped<IReadReceiptWriter, ReadReceiptService>();
        // The record page offers "write a referral letter" without depending on this feature.
        services.AddPatientRecordAction<ComposeReferralButton>();
        return services;
    }
}
