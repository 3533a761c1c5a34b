using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using MedNetPortal.Fhir.Identifiers;
using MedNetPortal.Fhir.Options;
using MedNetPortal.Web.Features.Account;
using MedNetPortal.Web.Host.Hosting;
using MedNetPortal.Web.Features.Patients;
using MedNetPortal.Web.Resources;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace MedNetPortal.Web.Host.Security;

/// <summary>One fixed-window count (table <c>RateLimitCounters</c>); the key is a keyed hash, never an account or address.</summary>
public sealed class RateLimitCounter
{
    /// <summary>HMAC-SHA256 (hex) of the budget: kind, account or address, value.</summary>
    public required string Key { get; set; }

    /// <summary>The window's start, Unix seconds.</summary>
    public long WindowStart { get; set; }

    public long Count { get; set; }
}

internal sealed class RateLimitCounterConfiguration : IEntityTypeConfiguration<RateLimitCounter>
{
    public void Configure(EntityTypeBuilder<RateLimitCounter> builder)
    {
        builder.ToTable("RateLimitCounters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(64);
        builder.HasIndex(c => c.WindowStart);
    }
}
