import DriftServer
import Testing

@Suite("Bearer tokens")
struct BearerTokenTests {
    @Test func onlyTheExactTokenPasses() throws {
        let token = try #require(BearerToken("s3cret-token-0123456789"))
        #expect(token.check(authorization: "Bearer s3cret-token-0123456789") == .accepted)
        #expect(token.check(authorization: "bearer s3cret-token-0123456789") == .accepted, "the scheme is case-insensitive")
        #expect(token.check(authorization: "Bearer s3cret-token-012345678") == .wrong, "a prefix")
        #expect(token.check(authorization: "Bearer s3cret-token-01234567890") == .wrong, "longer")
        #expect(token.check(authorization: "Bearer S3cret-token-0123456789") == .wrong)
        #expect(token.check(authorization: nil) == .missing)
        #expect(token.check(authorization: "Basic czNjcmV0") == .missing)
        #expect(token.check(authorization: "Bearer ") == .missing)
        #expect(BearerToken("") == nil)
    }
}
