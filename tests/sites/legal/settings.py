# The owner's details for the Impressum test (made up, never real).
IMPRESSUM_NAME = "Erika Probe"
IMPRESSUM_ADDRESS = ["Lindenallee 7", "54321 Probstadt"]
IMPRESSUM_EMAIL = "erika@probe-blog.test"
IMPRESSUM_PHONE = "+49 30 987654"
