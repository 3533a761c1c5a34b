using MedNetPortal.Web.Features.Referrals.Mailbox;

namespace MedNetPortal.Web.Features.Referrals;

/// <summary>Registration of the inbox, outbox and read receipts.</summary>
public static class MailboxExtensions
{
    public static IServiceCollection AddReferralMailbox(this IServiceCollection services)
    {
        services.AddScoped<IReferralMailbox, ReferralMailboxService>();
        services.AddScoped<IReadReceiptWriter, ReadReceiptService>();
        return services;
    }
}
