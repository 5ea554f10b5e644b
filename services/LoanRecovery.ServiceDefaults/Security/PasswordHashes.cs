using System.Buffers.Binary;
using Microsoft.AspNetCore.Identity;

namespace LoanRecovery.ServiceDefaults.Security;

/// <summary>
/// Password hashes of the people who sign in to the dashboard, in ASP.NET Core Identity's format version 3 (its
/// <see cref="PasswordHasher{TUser}"/>): PBKDF2 with HMAC-SHA512, a random 128-bit salt and 100,000 iterations, stored as
/// base64 of <c>0x01 | PRF (uint32, big-endian; 2 = HMAC-SHA512) | iterations (uint32) | salt length (uint32) | salt | 256-bit
/// subkey</c>. The hash carries its own parameters, so hashes made with more iterations later still verify. Shared by the
/// dashboard (verifying) and <c>loanrecovery dashboard-user</c> (hashing), so both read and write one format.
/// </summary>
public static class PasswordHashes
{
    private const byte FormatV3 = 0x01;
    private const int HeaderBytes = 13;
    private const int MinimumIterations = 10_000;
    private const int MinimumSaltBytes = 16;
    private const int MinimumSubkeyBytes = 16;
    private const uint HighestPrf = 2; // 0 HMAC-SHA1, 1 HMAC-SHA256, 2 HMAC-SHA512

    /// <summary>Identity's hasher ignores the user in format 3; this type only fills its generic parameter.</summary>
    private sealed class Account;

    private static readonly Account Anyone = new();
    private static readonly PasswordHasher<Account> Hasher = new();

    public static string Hash(string password)
    {
        ArgumentException.ThrowIfNullOrEmpty(password);
        return Hasher.HashPassword(Anyone, password);
    }

    /// <summary>Whether the password matches the hash; a text that is not a hash (see <see cref="Problem"/>) matches nothing.</summary>
    public static bool Verify(string hash, string password) =>
        Problem(hash) is null && Hasher.VerifyHashedPassword(Anyone, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    /// <summary>Why the text is not a usable hash (e.g. a plaintext password pasted into configuration), or null when it is one.</summary>
    public static string? Problem(string? hash)
    {
        if (string.IsNullOrWhiteSpace(hash))
            return "is empty";
        var bytes = new byte[hash.Length];
        if (!Convert.TryFromBase64String(hash, bytes, out var length) || length < HeaderBytes)
            return "is not a password hash (base64 of an ASP.NET Core Identity v3 hash); never put a password itself in configuration";
        var data = bytes.AsSpan(0, length);
        if (data[0] != FormatV3)
            return $"is a hash of format {data[0]}; only format 1 (ASP.NET Core Identity v3, PBKDF2) is accepted";
        var prf = BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
        var iterations = BinaryPrimitives.ReadUInt32BigEndian(data[5..]);
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(data[9..]);
        if (prf > HighestPrf)
            return $"names an unknown PBKDF2 function ({prf})";
        if (iterations < MinimumIterations)
            return $"uses {iterations} iterations; at least {MinimumIterations:#,0} are required";
        if (saltLength < MinimumSaltBytes || HeaderBytes + saltLength + MinimumSubkeyBytes > length)
            return "has a salt or key that is too short";
        return null;
    }
}
