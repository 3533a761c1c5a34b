using System.ComponentModel.DataAnnotations;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using MedNetPortal.FhirBase;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Data;

/// <summary>
/// Section <c>DataProtection</c>: how the keys that protect session cookies and antiforgery tokens are encrypted in the portal
/// database. <see cref="CertificatePath"/> (a PFX, with <see cref="CertificatePassword"/>) or <see cref="KeyEncryptionKey"/>
/// (base64 of 32 bytes, AES-256-GCM); with neither, a random key is generated once into <c>dataprotection.key</c> (0600) in
/// <c>Storage:DataDirectory</c>, so a copy of the database alone (a PostgreSQL backup) does not hold usable keys.
/// </summary>
public sealed class DataProtectionAtRestOptions : IValidatableObject
{
    public const string SectionName = "DataProtection";

    public const string KeyFileName = "dataprotection.key";

    public string CertificatePath { get; set; } = string.Empty;

    public string CertificatePassword { get; set; } = string.Empty;

    public string KeyEncryptionKey { get; set; } = string.Empty;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrWhiteSpace(CertificatePath) && !string.IsNullOrWhiteSpace(KeyEncryptionKey))
        {
            yield return new ValidationResult("set either CertificatePath or KeyEncryptionKey, not both", [nameof(CertificatePath)]);
        }

        if (!string.IsNullOrWhiteSpace(CertificatePath) && !File.Exists(CertificatePath))
        {
            yield return new ValidationResult("names a file that does not exist", [nameof(CertificatePath)]);
        }

        if (!string.IsNullOrWhiteSpace(KeyEncryptionKey) && DecodeKey(KeyEncryptionKey) is null)
        {
            yield return new ValidationResult("must be base64 of exactly 32 bytes", [nameof(KeyEncryptionKey)]);
        }
    }

    internal static byte[]? DecodeKey(string value)
    {
        try
        {
            var bytes = Convert.FromBase64String(value.Trim());
            return bytes.Length == 32 ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}

/// <summary>Registers the encryption of the Data Protection key ring at rest.</summary>
internal static class DataProtectionAtRest
{
    public static void Configure(IDataProtectionBuilder builder, IConfiguration configuration)
    {
        var section = configuration.GetSection(DataProtectionAtRestOptions.SectionName);
        var options = section.Get<DataProtectionAtRestOptions>() ?? new DataProtectionAtRestOptions();
        var problems = options.Validate(new ValidationContext(options)).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(DataProtectionAtRestOptions.SectionName, typeof(DataProtectionAtRestOptions),
                [.. problems.Select(p => $"{DataProtectionAtRestOptions.SectionName}:{p.MemberNames.First()} {p.ErrorMessage}")]);
        }

        if (!string.IsNullOrWhiteSpace(options.CertificatePath))
        {
            builder.ProtectKeysWithCertificate(X509CertificateLoader.LoadPkcs12FromFile(
                options.CertificatePath, string.IsNullOrEmpty(options.CertificatePassword) ? null : options.CertificatePassword));
            return;
        }

        builder.Services.AddSingleton(sp => new KeyEncryptionKey(
            DataProtectionAtRestOptions.DecodeKey(options.KeyEncryptionKey) ?? ReadOrCreateKeyFile(sp)));
        builder.Services.AddOptions<KeyManagementOptions>().Configure<IServiceProvider>(
            (keys, sp) => keys.XmlEncryptor = new AesGcmXmlEncryptor(sp.GetRequiredService<KeyEncryptionKey>()));
    }

    private static byte[] ReadOrCreateKeyFile(IServiceProvider services)
    {
        var folder = services.GetRequiredService<IOptions<StorageOptions>>().Value
            .ResolveDataDirectory(services.GetRequiredService<IHostEnvironment>().ContentRootPath);
        var path = Path.Combine(folder, DataProtectionAtRestOptions.KeyFileName);
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                return DataProtectionAtRestOptions.DecodeKey(File.ReadAllText(path))
                       ?? throw new InvalidOperationException($"The key file {path} is not base64 of 32 bytes; restore it from a backup.");
            }

            try
            {
                var key = RandomNumberGenerator.GetBytes(32);
                using (var stream = new FileStream(path, DataFiles.CreateNew()))
                using (var writer = new StreamWriter(stream))
                {
                    writer.Write(Convert.ToBase64String(key));
                }

                return key;
            }
            catch (IOException) when (attempt < 3 && File.Exists(path))
            {
                // Another process created it first: read theirs.
            }
        }
    }
}

/// <summary>The key that encrypts the key ring (from configuration or the key file).</summary>
internal sealed class KeyEncryptionKey(byte[] key)
{
    public byte[] Key { get; } = key;
}

/// <summary>AES-256-GCM over each key's XML; the decryptor finds the same key in the services.</summary>
internal sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        ArgumentNullException.ThrowIfNull(plaintextElement);
        var plain = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var sealedBytes = new byte[12 + 16 + plain.Length];
        RandomNumberGenerator.Fill(sealedBytes.AsSpan(0, 12));
        using var aes = new AesGcm(key.Key, 16);
        aes.Encrypt(sealedBytes.AsSpan(0, 12), plain, sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16));
        var element = new XElement("encryptedKey",
            new XComment(" AES-256-GCM; the key is DataProtection:KeyEncryptionKey or the dataprotection.key file "),
            new XElement("value", Convert.ToBase64String(sealedBytes)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Created by Data Protection by type name when it reads the key ring.</summary>
internal sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        ArgumentNullException.ThrowIfNull(encryptedElement);
        var sealedBytes = Convert.FromBase64String((string?)encryptedElement.Element("value") ?? string.Empty);
        var plain = new byte[sealedBytes.Length - 28];
        using var aes = new AesGcm(services.GetRequiredService<KeyEncryptionKey>().Key, 16);
        aes.Decrypt(sealedBytes.AsSpan(0, 12), sealedBytes.AsSpan(28), sealedBytes.AsSpan(12, 16), plain);
        return XElement.Parse(Encoding.UTF8.GetString(plain));
    }
}

/// <summary>
/// At start-up, after the schema: counts the keys of the ring in the portal database that this instance cannot decrypt.
/// Instances on one database with different <c>DataProtection:KeyEncryptionKey</c> values (or, without it, each with its own
/// key file) cannot read each other's sign-in cookies, so users are signed out whenever the load balancer moves them: logged
/// as an error naming the setting. Start-up goes on: a key replaced on purpose leaves old keys unreadable until they expire.
/// </summary>
internal sealed partial class DataProtectionKeyCheck(IServiceScopeFactory scopes, IServiceProvider services, ILogger<DataProtectionKeyCheck> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var (unreadable, total) = await CountUnreadableAsync(scopes, services, cancellationToken);
        if (unreadable > 0)
        {
            LogUnreadable(logger, unreadable, total);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Keys encrypted by <see cref="AesGcmXmlEncryptor"/> that this instance's key does not open, of all such keys.</summary>
    internal static async Task<(int Unreadable, int Total)> CountUnreadableAsync(IServiceScopeFactory scopes, IServiceProvider services, CancellationToken cancellationToken)
    {
        if (services.GetService<KeyEncryptionKey>() is null)
        {
            return (0, 0); // Certificate mode: Data Protection's own decryptor reports a wrong certificate.
        }

        await using var scope = scopes.CreateAsyncScope();
        await using var db = await scope.ServiceProvider.GetRequiredService<IDbContextFactory<PortalDbContext>>().CreateDbContextAsync(cancellationToken);
        var rows = await db.DataProtectionKeys.AsNoTracking()
            .Select(k => k.Xml).ToListAsync(cancellationToken);
        var decryptor = new AesGcmXmlDecryptor(services);
        var (unreadable, total) = (0, 0);
        foreach (var xml in rows.Where(x => !string.IsNullOrEmpty(x)))
        {
            var encrypted = XElement.Parse(xml!).Descendants().FirstOrDefault(e => e.Name.LocalName == "encryptedKey");
            if (encrypted is null)
            {
                continue;
            }

            total++;
            try
            {
                decryptor.Decrypt(encrypted);
            }
            catch (Exception ex) when (ex is CryptographicException or FormatException or ArgumentException)
            {
                unreadable++;
            }
        }

        return (unreadable, total);
    }

    [LoggerMessage(EventId = 7701, Level = LogLevel.Error, Message = "{Unreadable} of the {Total} Data Protection keys in the portal database cannot be decrypted by this instance: "
        + "every instance on one database needs the same DataProtection:KeyEncryptionKey (or DataProtection:CertificatePath), or sign-in cookies made by the others are refused here.")]
    private static partial void LogUnreadable(ILogger logger, int unreadable, int total);
}

/// <summary>Files with personal data or keys: readable and writable by the portal's own account only (0600).</summary>
internal static class DataFiles
{
    public static FileStreamOptions CreateNew()
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>
    /// Creates <paramref name="path"/> empty with mode 0600 when missing (SQLite then gives its journal and WAL files the same
    /// mode), or narrows an existing file to 0600; the folder to 0700.
    /// </summary>
    public static void Secure(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        if (Path.GetDirectoryName(path) is { Length: > 0 } folder && Directory.Exists(folder))
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (!File.Exists(path))
        {
            try
            {
                using (new FileStream(path, CreateNew()))
                {
                }

                // What EF Core's SQLite creator does for a database it creates itself (it now finds the file, so it would not):
                // write-ahead logging, so readers never block the writer.
                using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False");
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA journal_mode = 'wal';";
                command.ExecuteNonQuery();
            }
            catch (IOException) when (File.Exists(path))
            {
                // Created meanwhile by another process; narrowed below.
            }
        }

        foreach (var file in new[] { path, path + "-wal", path + "-shm", path + "-journal" }.Where(File.Exists))
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
