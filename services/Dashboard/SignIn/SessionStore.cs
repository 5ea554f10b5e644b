using System.Collections.Concurrent;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;

namespace LoanRecovery.Dashboard.SignIn;

/// <summary>
/// Keeps each session on the server and only its random key in the cookie, so signing out ends the session for good: a copy of
/// the cookie taken before is worth nothing afterwards (a self-contained cookie would stay valid until it expired). Sessions
/// live in this process's memory: a restart signs everyone out, and several dashboard instances would need a shared store.
/// Expired sessions are dropped as new ones start; time comes from the <see cref="TimeProvider"/>.
/// </summary>
public sealed class SessionStore(TimeProvider clock) : ITicketStore
{
    private readonly ConcurrentDictionary<string, AuthenticationTicket> _sessions = new(StringComparer.Ordinal);

    public Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        DropExpired();
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        _sessions[key] = ticket;
        return Task.FromResult(key);
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket)
    {
        // Only a session that still exists is renewed: one ended meanwhile (signed out elsewhere) stays ended.
        if (_sessions.TryGetValue(key, out var current))
            _sessions.TryUpdate(key, ticket, current);
        return Task.CompletedTask;
    }

    public Task<AuthenticationTicket?> RetrieveAsync(string key) =>
        Task.FromResult(_sessions.TryGetValue(key, out var ticket) && !Expired(ticket) ? ticket : null);

    public Task RemoveAsync(string key)
    {
        _sessions.TryRemove(key, out _);
        return Task.CompletedTask;
    }

    /// <summary>Sessions held now (expired ones included until the next sign-in drops them).</summary>
    public int Count => _sessions.Count;

    private bool Expired(AuthenticationTicket ticket) => ticket.Properties.ExpiresUtc is { } expires && expires <= clock.GetUtcNow();

    private void DropExpired()
    {
        foreach (var (key, ticket) in _sessions)
            if (Expired(ticket))
                _sessions.TryRemove(new KeyValuePair<string, AuthenticationTicket>(key, ticket));
    }
}
