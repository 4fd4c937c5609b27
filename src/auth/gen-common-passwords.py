#!/usr/bin/python3
# gen-common-passwords.py — writes common-passwords.txt
#
# Copyright 2026 The Bourse Authors
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The list is composed here from well-known weak patterns (no download): the
# words people reach for first, glued to the digits, years and symbols they
# add to pass a length rule, keyboard walks and repetitions. Only entries of
# at least 12 characters are kept: shorter ones fail the length rule anyway.
# The output is lower-case, sorted and deterministic; run
#
#   /usr/bin/python3 src/auth/gen-common-passwords.py > src/auth/common-passwords.txt
#
# and commit both files. The .txt is what ships (compiled into a GResource).

import sys

MIN_LENGTH = 12
MAX_ENTRIES = 10000

# Words at the top of every leaked-password ranking, plus the ones a trading
# console invites.
WORDS = """
password passw0rd p@ssword p@ssw0rd pa55word pa55w0rd p4ssword p4ssw0rd pa$$word
letmein welcome welcome1 iloveyou trustno1 whatever changeme default secret
admin administrator root master superuser login access qwerty abc123
football baseball basketball soccer hockey golfer tennis
monkey dragon tiger shadow sunshine princess superman batman spiderman
starwars pokemon harrypotter michael jennifer jessica ashley charlie daniel
jordan thomas hunter ranger buster summer winter autumn spring freedom
computer internet mustang maverick matrix killer liverpool chelsea arsenal
manchester barcelona cowboys yankees
bitcoin ethereum crypto blockchain trading trader bourse investor invest
money dollar profit million millionaire moneymaker stocks market exchange
binance wallet tothemoon lambo hodl satoshi
company business office security secure private system server database
""".split()

# Suffixes people add to reach a length rule.
SUFFIXES = """
1 12 123 1234 12345 123456 1234567 12345678 123456789 1234567890
! 1! 12! 123! 1234! 01 007 69 99 00 11 111 000 2 22 222 321 4321 54321
@123 #1 !! !!! 123abc abc abc123 qwerty
""".split()

PREFIXES = """
my the 1 123 i i_love ilove love super best
""".split()

PHRASES = """
iloveyou iloveyou2 iloveyoutoo iloveyouforever iloveyouverymuch
letmein letmeinnow letmeinplease letmeinletmein
thisismypassword thisisapassword mypassword mypasswordis mysecretpassword
mynewpassword newpassword oldpassword temppassword temporarypassword
passwordpassword password1234567 passwordpassword1 changemenow changethis
changeme123456 welcometothejungle welcomehome welcomeback welcometomyworld
correcthorsebatterystaple correcthorse
trustnoone trustnobody nopassword nopasswordhere idontknow forgotpassword
administrator123 adminadminadmin rootrootroot useruseruser guestguestguest
qwertyqwerty qwertyuiop qwertyuiopasdfghjkl qwertyuiopasdfghjklzxcvbnm
asdfghjklqwerty asdfasdfasdf asdfghjkl asdfghjkl; zxcvbnmasdfghjkl
zaq12wsxcde3 1qaz2wsx3edc 1qaz2wsx3edc4rfv 1q2w3e4r5t6y 1q2w3e4r5t6y7u8i
q1w2e3r4t5y6 q1w2e3r4t5y6u7i8 qazwsxedcrfv qazwsxedcrfvtgb 1qazxsw23edc
zxcvbnm123456 zxcvbnmzxcvbnm azertyuiop azertyuiop123 qwertzuiop qwertzuiop123
qweasdzxc123 qweasdzxcqwe 123qweasdzxc qwe123qwe123 !qaz@wsx#edc !qaz2wsx3edc
abcdefghijkl abcdefghijklm abcdefghijklmnopqrstuvwxyz abcdefg12345 abcd1234abcd
abc123abc123 abcabcabcabc abcdabcdabcd a1b2c3d4e5f6 a1b2c3d4e5f6g7h8
aaaaaaaaaaaa aaaaaa111111 aaa111aaa111 abc123456789 12345678abcd 1234567890ab
123456789abc 123456abcdef 123456qwerty qwerty123456 qwerty12345678
password123456 password12345678 passw0rd1234 p@ssw0rd1234 p@ssw0rd123!
iamthebest iamtheone iamthegreatest youcanthackme hackmeifyoucan
godisgood jesuslovesme jesuschrist blessed123456
bourseadmin bourse123456 boursepassword tradingbot tradingbot123
""".split()

KEYBOARD_ROWS = [
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
    "0987654321",
    "poiuytrewq",
    "lkjhgfdsa",
    "mnbvcxz",
]


def digit_runs():
    """123456789012, 012345678901, 098765432109, … at lengths 12–20."""
    ascending = "1234567890" * 3
    descending = "9876543210" * 3
    for length in range(MIN_LENGTH, 21):
        for start in range(10):
            yield ascending[start:start + length]
            yield descending[start:start + length]


def repetitions():
    """aaaaaaaaaaaa, 111111111111, 123123123123, abcabcabcabc, … ."""
    alphabet = "abcdefghijklmnopqrstuvwxyz0123456789!"
    for c in alphabet:
        for length in (12, 13, 14, 15, 16, 20):
            yield c * length
    units = """
    12 123 1234 12345 123456 321 69 007 00 01 10 11 13 21 99 420 666 777 911
    ab abc abcd xyz qwe asd zxc qwerty asdf love god sex ok no lol haha
    aa11 a1 1a abc1 q1w2 a1b2 1q2w 1qaz pass admin
    """.split()
    for unit in units:
        text = unit
        while len(text) < MIN_LENGTH:
            text += unit
        yield text
        yield text + unit


def keyboard_walks():
    """Rows and row pairs, forwards and back, with the usual digits."""
    for row in KEYBOARD_ROWS:
        for other in KEYBOARD_ROWS:
            yield row + other
        yield row + row
        for suffix in ("1", "12", "123", "1234", "12345", "123456", "!", "1!"):
            yield row + suffix
            yield suffix + row


def with_years(word):
    for year in range(1985, 2031):
        yield f"{word}{year}"
        yield f"{word}{year}!"


def word_variants():
    for word in WORDS:
        yield word
        yield word + word
        for suffix in SUFFIXES:
            yield word + suffix
        for prefix in PREFIXES:
            yield prefix + word
            yield prefix + word + "123"
            yield prefix + word + "1234"
        yield from with_years(word)


def main():
    seen = set()
    for source in (PHRASES, digit_runs(), repetitions(), keyboard_walks(), word_variants()):
        for entry in source:
            entry = entry.lower()
            if len(entry) >= MIN_LENGTH and "\n" not in entry:
                seen.add(entry)

    entries = sorted(seen)
    if len(entries) > MAX_ENTRIES:
        sys.exit(f"{len(entries)} entries: more than {MAX_ENTRIES}, trim the word lists")
    sys.stdout.write("".join(entry + "\n" for entry in entries))


if __name__ == "__main__":
    main()
