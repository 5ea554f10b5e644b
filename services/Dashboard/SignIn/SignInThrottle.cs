using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// Slows password guessing: per username (known or not, so a lock says nothing about who exists), every attempt counts as a
/// failure until it succeeds; after <see cref="SignInOptions.MaxFailedAttempts"/> within <see cref="SignInOptions.FailureWindow"/>
/// the username is locked for <see cref="SignInOptions.LockoutDuration"/>, whatever password comes. Counting before the password
/// is checked means parallel guesses cannot slip past the limit while the hashes are being computed. Kept in memory, so it
/// protects one dashboard process; time comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class SignInThrottle(IOptionsMonitor<SignInOptions> options, TimeProvider clock)
{
    /// <summary>Above this many remembered usernames, expired ones are dropped (at most once per window).</summary>
    public const int PurgeAbove = 1_000;

    private sealed record Entry(int Attempts, DateTimeOffset WindowStart, DateTimeOffset? LockedUntil);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>Starts an attempt: null when it may go on, else the time the username's lock ends.</summary>
    public DateTimeOffset? Begin(string username)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        PurgeExpired(now, settings);
        var entry = _entries.AddOrUpdate(username, _ => new Entry(1, now, null), (_, e) =>
        {
            if (e.LockedUntil > now)
                return e;
            if (e.LockedUntil is not null || now - e.WindowStart >= settings.FailureWindow)
                e = new Entry(0, now, null);
            return e.Attempts >= settings.MaxFailedAttempts
                ? new Entry(0, now, now + settings.LockoutDuration)
                : e with { Attempts = e.Attempts + 1 };
        });
        return entry.LockedUntil > now ? entry.LockedUntil : null;
    }

    /// <summary>The attempt failed: null, or the time the lock it caused ends.</summary>
    public DateTimeOffset? Failed(string username)
    {
        var settings = options.CurrentValue;
        var now = clock.GetUtcNow();
        var entry = _entries.AddOrUpdate(username, _ => new Entry(1, now, null), (_, e) =>
            e.LockedUntil is null && e.Attempts >= settings.MaxFailedAttempts ? new Entry(0, now, now + settings.LockoutDuration) : e);
        return entry.LockedUntil > now ? entry.LockedUntil : null;
    }

    /// <summary>The attempt succeeded: the username's failures are forgotten.</summary>
    public void Succeeded(string username) => _entries.TryRemove(username, out _);

    /// <summary>How many usernames are remembered (failures or a lock).</summary>
    public int Remembered => _entries.Count;

    private void PurgeExpired(DateTimeOffset now, SignInOptions settings)
    {
        if (_entries.Count <= PurgeAbove || now - _lastPurge < settings.FailureWindow)
            return;
        _lastPurge = now;
        foreach (var (username, entry) in _entries)
            if (!(entry.LockedUntil > now) && now - entry.WindowStart >= settings.FailureWindow)
                _entries.TryRemove(new KeyValuePair<string, Entry>(username, entry));
    }
}
