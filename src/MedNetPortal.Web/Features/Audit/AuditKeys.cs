using System.Security.Cryptography;
using System.Text;
using MedNetPortal.FhirBase;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Features.Audit;

/// <summary>
/// The trail's keys, derived (HKDF-SHA256) from one master key: <c>Audit:HashKey</c>, or else a random key generated once
/// and kept in <c>audit-hash.key</c> in the data folder (like the DataProtection keys: back the folder up with the database,
/// or the chain can no longer be verified). The chain key and the identifier key differ, so publishing one hash never helps
/// with the other.
/// </summary>
internal sealed class AuditKeys
{
    public const string KeyFileName = "audit-hash.key";

    public AuditKeys(byte[] masterKey)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        ChainKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.ASCII.GetBytes("mednet-audit-chain-v1"));
        IdentifierKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.ASCII.GetBytes("mednet-audit-identifier-v1"));
        RateLimitKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, masterKey, 32, info: Encoding.ASCII.GetBytes("mednet-rate-limit-v1"));
    }

    public byte[] ChainKey { get; }

    public byte[] IdentifierKey { get; }

    /// <summary>Names the rate-limit budgets (Host/Security): the same on every instance, unrelated to the other two.</summary>
    public byte[] RateLimitKey { get; }

    public static AuditKeys Load(AuditOptions options, StorageOptions storage, string contentRoot, bool mayCreate = true)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(storage);
        if (!string.IsNullOrWhiteSpace(options.HashKey))
        {
            return new AuditKeys(AuditOptions.DecodeKey(options.HashKey)
                ?? throw new OptionsValidationException(AuditOptions.SectionName, typeof(AuditOptions), ["Audit:HashKey must be base64 of at least 32 bytes"]));
        }

        var path = Path.Combine(storage.ResolveDataDirectory(contentRoot), KeyFileName);
        if (!mayCreate && !File.Exists(path))
        {
            throw new InvalidOperationException($"Audit:HashKey is empty and there is no key file {path}: the trail cannot be checked without the key it was written with.");
        }

        return new AuditKeys(ReadOrCreate(path));
    }

    private static byte[] ReadOrCreate(string path)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (File.Exists(path))
            {
                return AuditOptions.DecodeKey(File.ReadAllText(path))
                    ?? throw new InvalidOperationException($"The audit key file {path} is not base64 of at least 32 bytes; restore it from a backup.");
            }

            try
            {
                var key = RandomNumberGenerator.GetBytes(32);
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                }

                using (var stream = new FileStream(path, options))
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
