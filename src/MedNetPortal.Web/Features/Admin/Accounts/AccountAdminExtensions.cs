namespace MedNetPortal.Web.Features.Admin.Accounts;

public static class AccountAdminExtensions
{
    public static IServiceCollection AddAccountAdministration(this IServiceCollection services)
    {
        services.AddScoped<IAccountAdminService, AccountAdminService>();
        return services;
    }
}
