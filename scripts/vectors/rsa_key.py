"""A fixed RSA-2048 test key for the RS256 vectors.

RSA keys cannot be derived from a seed, so this one was generated once (``RsaKey.generate()``)
and is stored here as a private JWK. It is a published test key: never use it for anything
else. RS256 (RSASSA-PKCS1-v1_5) signatures are deterministic, so the vectors are reproducible.
"""

from __future__ import annotations

RSA_TEST_JWK: dict[str, str] = {
    "kty": "RSA",
    "n": (
        "vJgtQunk5LosvnGR1cPSSw3YXVJy85c68pEwlSEzILOaC8bufJD9fHiQbnThLil8maXf0rLhpPTQ4aZw"
        "hCV53S0wMrOBBN4y86rtft3qRVfu1AQ2niOe-sWqCoWOYZfsuENkcYTp1xMWCDruj7yoki6qteZVEV17"
        "LEDMa_3xdhy3OkesmHMXMWrohgUHrHNv0kt_vJu6s-JKvmOReTErtvjKrH5iaibmN6vGk17NvTfOSXhh"
        "Ake05zcr49WDcrLtQ4n5FDDBCazi147Lmq0NUenJKyjAyOCIs2iv-cYNy7CV4yrdGPAEGsV1itVlAOJa"
        "E4eK5iKsVnYq68lJX9jreQ"
    ),
    "e": "AQAB",
    "d": (
        "IwNBi-WueARUYDrnbz8-oG5-l7zB2JVf_T6VPWp_ene9hqg1CG1GkkAz2D3cvFw5ZLEV36EUITLOQMZM"
        "p0vp1vUXuKH4tvWlkfVOyDncz2jmzvfFSBCm6DmgOvnWmCnDaeYhFK4vV52UfoyqU4cb6J-_U6viaSno"
        "vyt8iCQKGvoh89xbIA8Wu4ooayoqs3kgDDASSIpRLQYT2Jl4WHskmPU5WJiELG0nuCcWaBgHJuLZ3KHi"
        "62mRcWCY-Ib0b0agHmTbMoGa6XMh7zkn_woUb_Rb1Dw0fSGeeffv4DFiv4b6lZ5IKRyzBw3OH3tWrUbX"
        "LdRvoH6tMhNe9IxjyE-xvQ"
    ),
    "p": (
        "7jdhrr7iuV9deNuWKfqhZfSEi6PFT9YtJQLUhmZUycjMTMGEAK3U32O9thRi0rOdJGjQvGyQbpdPSQmQ"
        "l_wgMpx3gXBrlixEjX77LwYcFFdIazks-r48II_ssfvDkXYiQEL8S1G-W71HFmqdIazGzexxxHVtDQ3x"
        "Fxk4eaSSgZs"
    ),
    "q": (
        "yqx1HAjGPA7szaA8tU3sebtvwG3_OJJwufLo4y6PmqHn2e6OznQErbxeXfE_CBWeRE4HXZve2tv-I8KO"
        "4MUNk48WIxH8DajTjDu1BPVPGxBelsNgxh5gPmckVzOIApMVjz49uShcrr7kywlhj-yTzjSvcgxW_QuI"
        "UShHCVNjUns"
    ),
    "dp": (
        "53Z6fK_PXu1RxoAezZVQw98t9vzfWK6z2NWCKUE_O33XPPF_UKWXRKQGjugKCc8qbllGEP-v6zUsfbxE"
        "edkqc-Lin6vbbeR_i7kJWeym1gDlRgIdOVok1ELkayBFK47MwwITYSABReSJMTfQjAr0dNw8wvaSSm_0"
        "hUwlOtT04ec"
    ),
    "dq": (
        "QVwyfDL8MvwhNAL78QBLRcrDtEwE5aqcPetvXWxzlUunaKm9VikmJR09VZBqYmIOYzrCt1aAHRabM88X"
        "orcJtM-NNQwkvAb5Ch1rOEkgFLtHtdkWSW4cXaOHnbOZpjLm3gYVg7PXh-c6A5xn4TFLTVHCTsZZ-0sP"
        "0BRsLD6_Jic"
    ),
    "qi": (
        "rfb2CYULWJyGX3IQdAabD0l3i73Tljs_ltJsjUsB6a5UPs_adGLO6F6-_CProR-X-EacK3ZYPwWsp6LB"
        "ii9mHi9eb2L8iMa6yTAIuGrQg5nXooq4nEUZdDE6SpUc1SyFL3JbpFoiF1cD3TvbjiZaLYXB9kYh_Z7W"
        "erb2jW39boM"
    ),
}
