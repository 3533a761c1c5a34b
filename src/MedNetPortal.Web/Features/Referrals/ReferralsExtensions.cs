namespace MedNetPortal.Web.Features.Referrals;

/// <summary>Registration of the referral services.</summary>
public static class ReferralsExtensions
{
    public static IServiceCollection AddReferrals(this IServiceCollection services)
    {
        services.AddScoped<ReferralLetterSender>();
        services.AddScoped<FacilityDirectory>();
        services.AddScoped<ReferralDraftService>();
        services.AddScoped<IReferralDraftStarter>(provider => provider.GetRequiredService<ReferralDraftService>());
        return services;
    }
}
