// Unit tests of the auth building blocks: return_to guard, user codes, CSRF
// tokens, emails, endpoint policy, PKCE, conditional inserts.
#include <catch2/catch.hpp>

#include "tests/unit/host/fixture.hpp"
#include "worker/auth/csrf.hpp"
#include "worker/auth/pkce.hpp"
#include "worker/auth/return_to.hpp"
#include "worker/auth/sql_guard.hpp"
#include "worker/auth/upstream_http.hpp"
#include "worker/auth/user_code.hpp"
#include "worker/auth/users.hpp"

using namespace ve;

TEST_CASE("return_to accepts same-origin paths only", "[auth]") {
  CHECK(auth::checked_return_to("").value() == auth::kDefaultReturnTo);
  CHECK(auth::checked_return_to("/device?user_code=BCDF-GHJK").value() ==
        "/device?user_code=BCDF-GHJK");
  CHECK(auth::checked_return_to("/").value() == "/");
  for (const char* bad :
       {"//evil.example", "/\\evil.example", "https://evil.example/", "http:/evil", "evil.example",
        "javascript:alert(1)", "/a\\b", "/ spaced", "/tab\there", "/nl\nx", "\x01/x"}) {
    INFO(bad);
    auto r = auth::checked_return_to(bad);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().status == 400);
    CHECK(r.error().code == "invalid_return_to");
  }
  CHECK_FALSE(auth::checked_return_to("/" + std::string(3000, 'a')).ok());
}

TEST_CASE("user codes are XXXX-XXXX from the unambiguous alphabet", "[auth]") {
  for (int i = 0; i < 200; ++i) {
    auto c = auth::new_user_code();
    REQUIRE(c.size() == 9);
    CHECK(c[4] == '-');
    for (std::size_t j = 0; j < c.size(); ++j) {
      if (j != 4) CHECK(auth::kUserCodeAlphabet.find(c[j]) != std::string_view::npos);
    }
    CHECK(auth::normalize_user_code(c) == c);
  }
  CHECK(auth::normalize_user_code("bcdf ghjk") == "BCDF-GHJK");
  CHECK(auth::normalize_user_code("bcdfghjk") == "BCDF-GHJK");
  CHECK(auth::normalize_user_code(" BCDF-GHJK ") == "BCDF-GHJK");
  CHECK_FALSE(auth::normalize_user_code("BCDF-GHJ"));
  CHECK_FALSE(auth::normalize_user_code("BCDF-GHJKL"));
  CHECK_FALSE(auth::normalize_user_code("ABCD-EFGH"));  // vowels are not in the alphabet
  CHECK_FALSE(auth::normalize_user_code("BCD0-GHJK"));
  CHECK_FALSE(auth::normalize_user_code(""));
}

TEST_CASE("CSRF tokens are HMAC-derived and compared exactly", "[auth]") {
  const std::string t = auth::csrf_token("vk_sess_abc");
  CHECK(t.size() == 43);
  CHECK(auth::csrf_token("vk_sess_abc") == t);
  CHECK(auth::csrf_token("vk_sess_abd") != t);
  CHECK(auth::csrf_valid("vk_sess_abc", t));
  CHECK_FALSE(auth::csrf_valid("vk_sess_abd", t));
  CHECK_FALSE(auth::csrf_valid("vk_sess_abc", t.substr(1)));
  CHECK_FALSE(auth::csrf_valid("vk_sess_abc", ""));
  CHECK_FALSE(auth::csrf_valid("", auth::csrf_token("")));
}

TEST_CASE("emails are lower-cased and sanity-checked", "[auth]") {
  CHECK(auth::normalized_email("Alice@Example.COM") == "alice@example.com");
  for (const char* bad : {"", "alice", "@example.com", "alice@", "a@b@c", "a b@c.d", "<a@b.c>",
                          "a\"b@c.d", "a,b@c.d"}) {
    INFO(bad);
    CHECK_FALSE(auth::normalized_email(bad));
  }
}

TEST_CASE("upstream endpoints must be https, http only on loopback in development", "[auth]") {
  auto dev = test::make_runner("development");
  auto prod = test::make_runner("production");
  CHECK(auth::allowed_endpoint(prod.config(), "https://accounts.google.com/o/oauth2/v2/auth"));
  CHECK_FALSE(auth::allowed_endpoint(prod.config(), "http://127.0.0.1:9000/token"));
  CHECK(auth::allowed_endpoint(dev.config(), "http://127.0.0.1:9000/token"));
  CHECK(auth::allowed_endpoint(dev.config(), "http://localhost:9000/token"));
  CHECK(auth::allowed_endpoint(dev.config(), "http://[::1]:9000/token"));
  CHECK_FALSE(auth::allowed_endpoint(dev.config(), "http://idp.example/token"));
  CHECK_FALSE(auth::allowed_endpoint(dev.config(), "http://127.0.0.1.evil.example/token"));
  CHECK_FALSE(auth::allowed_endpoint(dev.config(), "https://user@idp.example/"));
  CHECK_FALSE(auth::allowed_endpoint(dev.config(), "ftp://idp.example/"));
  CHECK_FALSE(auth::allowed_endpoint(dev.config(), "https:///path"));
}

TEST_CASE("PKCE S256 matches RFC 7636 appendix B", "[auth]") {
  CHECK(auth::pkce_challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") ==
        "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
  auto v = auth::pkce_verifier();
  CHECK(v.size() == 43);
  CHECK(auth::pkce_verifier() != v);
}

TEST_CASE("insert_only_if makes an explicit-numbered INSERT conditional", "[auth]") {
  async::Statement s{"INSERT INTO t (a, b) VALUES (?1, ?2)", {std::int64_t{1}, std::string("x")}};
  auto g = auth::insert_only_if(s, "EXISTS (SELECT 1 FROM u WHERE id = ? AND k = ?)",
                                {std::string("id"), std::int64_t{7}});
  REQUIRE(g);
  CHECK(g->sql ==
        "INSERT INTO t (a, b) SELECT ?1, ?2 WHERE EXISTS (SELECT 1 FROM u WHERE id = ?3 "
        "AND k = ?4)");
  CHECK(g->params.size() == 4);
  CHECK_FALSE(auth::insert_only_if({"UPDATE t SET a = 1", {}}, "1", {}));
  CHECK_FALSE(auth::insert_only_if({"INSERT INTO t (a) SELECT 1", {}}, "1", {}));
  CHECK_FALSE(auth::insert_only_if(s, "x = ?", {}));  // placeholder count mismatch
}
