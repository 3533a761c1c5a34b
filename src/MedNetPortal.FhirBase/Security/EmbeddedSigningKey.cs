using System.Security.Cryptography;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace MedNetPortal.FhirBase.Security;

/// <summary>
/// The RSA key the embedded authority signs access tokens with, and the bearer handler checks them with. Read from
/// <c>FhirBase:Auth:SigningKeyFile</c>, else from <c>fhirbase-signing-key.pem</c> in the data folder, which is created once
/// (owner read/write only). A key in a file, not in memory, so that a restart, the <c>import</c> command on the same data
/// folder, or several instances given the same file all accept the same tokens.
/// </summary>
internal sealed class EmbeddedSigningKey
{
    public const string DefaultFileName = "fhirbase-signing-key.pem";

    private readonly Lazy<RsaSecurityKey> _key;

    public EmbeddedSigningKey(IOptions<FhirBaseAuthOptions> auth, IOptions<StorageOptions> storage, IHostEnvironment environment)
    {
        _key = new Lazy<RsaSecurityKey>(() =>
        {
            var file = auth.Value.SigningKeyFile;
            if (string.IsNullOrWhiteSpace(file))
            {
                file = Path.Combine(storage.Value.ResolveDataDirectory(environment.ContentRootPath), DefaultFileName);
                CreateIfMissing(file);
            }
            return Load(file);
        }, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    public RsaSecurityKey Key => _key.Value;

    /// <summary>Whether <paramref name="file"/> holds a usable RSA private key (for the start-up check).</summary>
    internal static bool IsRsaPrivateKey(string file)
    {
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(File.ReadAllText(file));
            // A public key imports too, but cannot sign.
            rsa.ExportRSAPrivateKey();
            return true;
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException or IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    internal static RsaSecurityKey Load(string file)
    {
        var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(file));
        // The key id is the public key's thumbprint, so two instances with the same file name the key alike.
        var kid = Base64UrlEncoder.Encode(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()));
        return new RsaSecurityKey(rsa) { KeyId = kid };
    }

    private static void CreateIfMissing(string file)
    {
        if (File.Exists(file))
        {
            return;
        }
        using var rsa = RSA.Create(3072);
        var pem = rsa.ExportPkcs8PrivateKeyPem();
        var temporary = file + "." + Guid.NewGuid().ToString("N") + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }
        using (var stream = new FileStream(temporary, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(pem);
        }
        try
        {
            // Two processes starting on one folder (the portal and the import command): the first file wins.
            File.Move(temporary, file, overwrite: false);
        }
        catch (IOException) when (File.Exists(file))
        {
            File.Delete(temporary);
        }
    }
}

/// <summary>Loads (and on first start creates) the embedded authority's key at start-up, so a problem shows then, not at the first request.</summary>
internal sealed class EmbeddedSigningKeyInitializer(
    EmbeddedSigningKey key, IOptions<FhirBaseOptions> fhirBase, IOptions<FhirBaseAuthOptions> auth, IHostEnvironment environment) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (fhirBase.Value.Enabled && auth.Value.EffectiveMode(environment) == FhirBaseAuthMode.Embedded)
        {
            _ = key.Key;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
