// Who is calling (docs/architecture.md "Principals and authorization").
#pragma once
#include <algorithm>
#include <string>
#include <vector>

namespace ve::auth {

struct Principal {
  enum class Kind { none, session, master, scoped, oauth };
  Kind kind = Kind::none;
  std::string user_id;  ///< tenant key for every query
  std::string email;
  std::string actor_id;  ///< device id (master), token id (scoped), client id (oauth), "" (session)
  std::string client;    ///< human label for audit rows, e.g. "apilocker-cli", "dashboard"
  std::vector<std::string> scopes;  ///< OAuth scopes; empty for other kinds
  std::string token_id;  ///< OAuth grant id (scoped tokens: the token id); audit rows' token_id
  /// Scoped tokens only: the ids of the keys it may read and proxy (docs/architecture.md
  /// "Principals"); empty for other kinds, which are not limited per key.
  std::vector<std::string> allowed_keys;
  /// Browser sessions only: the session's public id (`ses_…`, sessions.id), so
  /// the sessions page can mark and keep the caller's own; "" for other kinds.
  std::string session_id;

  bool authenticated() const { return kind != Kind::none; }
  /// Browser sessions and device master tokens may do everything for their user.
  bool full_access() const { return kind == Kind::session || kind == Kind::master; }
  bool has_scope(const std::string& s) const {
    return std::find(scopes.begin(), scopes.end(), s) != scopes.end();
  }
  /// May this principal read or proxy the key with id `key_id`? Scoped tokens
  /// only their allowed_keys; every other kind any key of its user (OAuth
  /// scopes are checked separately, per tool).
  bool may_use_key(const std::string& key_id) const {
    return kind != Kind::scoped ||
           std::find(allowed_keys.begin(), allowed_keys.end(), key_id) != allowed_keys.end();
  }
};

/// Stable lower-case name for logs and audit rows.
inline const char* kind_name(Principal::Kind k) {
  switch (k) {
    case Principal::Kind::session:
      return "session";
    case Principal::Kind::master:
      return "master";
    case Principal::Kind::scoped:
      return "scoped";
    case Principal::Kind::oauth:
      return "oauth";
    case Principal::Kind::none:
      break;
  }
  return "none";
}

}  // namespace ve::auth
