using System.Data.Common;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Features.Admin.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace MedNetPortal.ComponentTests.Admin;

public sealed class AccountPagesTests : PortalTestContext
{
    private readonly FakeAccounts accounts = new();

    public AccountPagesTests()
    {
        Services.AddSingleton<IAccountAdminService>(accounts);
        SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    private static AccountSummary Account(int i) => new(
        Guid.NewGuid().ToString(), $"職員 {i}", $"ショクイン {i}", $"staff{i}@hospital.example", "1310123455", "みどり台総合病院",
        PortalRoles.Clinician, Profession.Nurse, i % 2 == 0, i == 3, false, null);

    [Fact]
    public void List_shows_loading_then_rows_with_the_total_and_pages_through_the_rest()
    {
        accounts.Gate = new TaskCompletionSource();
        accounts.Total = 45;
        var cut = Render<AccountsPage>();
        Shown.One(cut.FindAll("[data-testid=accounts-loading]"));

        accounts.Gate.SetResult();
        cut.WaitForAssertion(() => Assert.Equal(20, cut.FindAll("[data-testid=account-row]").Count));
        Assert.Equal("1–20 / 45件", cut.Find("[data-testid=accounts-count]").TextContent.Trim());
        Assert.Contains("停止中", cut.Markup, StringComparison.Ordinal);
        // Each cell names its column for the phone's card layout.
        var headings = cut.FindAll("thead th").Select(th => th.TextContent.Trim()).ToList();
        Assert.Equal(8, headings.Count);
        Assert.Equal(headings, cut.FindAll("[data-testid=account-row]")[0].QuerySelectorAll("td").Select(td => td.GetAttribute("data-label")));
        Assert.Equal("氏名・カナ・メールアドレスで検索", cut.Find("label[for=accounts-query]").TextContent);
        Shown.One(cut.FindAll("#accounts-query"));
        // The SystemAdmin's facility filter is labelled too.
        Assert.Equal("施設", cut.Find("label[for=accounts-facility]").TextContent);

        cut.FindAll("[data-testid=accounts-pages] button").First(b => b.TextContent.Trim() == "3").Click();
        cut.WaitForAssertion(() => Assert.Equal("41–45 / 45件", cut.Find("[data-testid=accounts-count]").TextContent.Trim()));
        Assert.Equal(2, accounts.Queries[^1].Page);
    }

    [Fact]
    public void List_failure_says_what_failed_and_retries()
    {
        accounts.Fail = true;
        var cut = Render<AccountsPage>();
        cut.WaitForAssertion(() => Assert.Contains("アカウントを読み込めませんでした", cut.Find("[data-testid=accounts-error]").TextContent, StringComparison.Ordinal));

        accounts.Fail = false;
        accounts.Total = 0;
        cut.Find("[data-testid=accounts-retry]").Click();
        cut.WaitForAssertion(() => Assert.Equal("アカウントはまだありません。", cut.Find("[data-testid=accounts-empty]").TextContent));
    }

    [Fact]
    public void List_refused_by_the_service_shows_no_accounts()
    {
        accounts.Refuse = true;
        var cut = Render<AccountsPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=accounts-forbidden]")));
        Assert.Empty(cut.FindAll("[data-testid=account-row]"));
    }

    [Fact]
    public void New_account_form_labels_every_field_in_Japanese_and_English()
    {
        var cut = Render<NewAccountPage>();
        cut.WaitForAssertion(() => Shown.One(cut.FindAll("[data-testid=account-new-form]")));
        string[] ids = ["account-name", "account-kana", "account-email", "account-profession", "account-role", "account-facility", "account-password"];
        Assert.Equal(
            ["氏名", "氏名（カナ）", "メールアドレス", "職種", "権限", "所属施設", "初期パスワード（任意）"],
            ids.Select(id => { Shown.One(cut.FindAll("#" + id)); return cut.Find($"label[for={id}]").TextContent; }));

        UseCulture("en");
        var english = Render<NewAccountPage>();
        english.WaitForAssertion(() => Assert.Equal("Initial password (optional)", english.Find("label[for=account-password]").TextContent));
    }

    private sealed class FakeAccounts : IAccountAdminService
    {
        public TaskCompletionSource? Gate { get; set; }

        public int Total { get; set; } = 5;

        public bool Fail { get; set; }

        public bool Refuse { get; set; }

        public List<AccountQuery> Queries { get; } = [];

        public Task<AdminResult<AdminScope>> GetScopeAsync(CancellationToken cancellationToken = default) =>
            Task.FromResult(Refuse
                ? AdminResult<AdminScope>.Fail(AdminOutcome.Forbidden)
                : AdminResult<AdminScope>.Ok(new AdminScope(true, null, [PortalRoles.Clinician, PortalRoles.FacilityAdmin, PortalRoles.SystemAdmin],
                    [new FacilityChoice("1310123455", "みどり台総合病院")])));

        public async Task<AdminResult<AccountPage>> SearchAsync(AccountQuery query, CancellationToken cancellationToken = default)
        {
            Queries.Add(query);
            if (Gate is not null)
            {
                await Gate.Task;
            }

            if (Fail)
            {
                throw new FakeDbException();
            }

            var items = Enumerable.Range(query.Page * query.PageSize, Math.Max(0, Math.Min(query.PageSize, Total - (query.Page * query.PageSize)))).Select(Account).ToList();
            return AdminResult<AccountPage>.Ok(new AccountPage(items, Total, query.Page, query.PageSize));
        }

        public Task<AdminResult<AccountSummary>> GetAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AdminResult<CreatedAccount>> CreateAsync(NewAccount account, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AdminResult<bool>> SuspendAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AdminResult<bool>> ReactivateAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AdminResult<string?>> ResetPasswordAsync(string id, string? newPassword, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<AdminResult<bool>> ResetTwoFactorAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    private sealed class FakeDbException : DbException;
}
