"""API token authentication that respects ANBIAO_MFA_REQUIRED."""

import hmac

from rest_framework.authentication import TokenAuthentication
from rest_framework.exceptions import AuthenticationFailed


class MFATokenAuthentication(TokenAuthentication):
    """While MFA is required, an administrator's token works only if it was issued after a code check.

    ``TokenView`` stores the digest of the token it issues after the code on the user's device; tokens
    issued before the switch (or without a code) no longer authenticate.
    """

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        from anbiao.accounts import mfa

        if mfa.required_for(user):
            device = mfa.confirmed_device(user)
            if device is None or not hmac.compare_digest(
                device.api_token_digest, mfa.token_digest(token.key)
            ):
                raise AuthenticationFailed("管理员须使用通过动态口令验证后获取的令牌。")
        return user, token
