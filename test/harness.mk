# The test harness, included by the Makefile: the tools the tests run (all from Maven Central, kept
# in Maven's own repository ~/.m2 and linked from build/lib, never copied), make check, make test,
# make bench, make mutation, make fuzz, install-m2 and wordlist.
JUNIT      := 1.11.4
PGJDBC     := 42.7.4
JBANG      := 0.132.1
SPARK      := 4.2.0
HIKARI     := 7.1.0
SQLLINE    := 1.12.0
PIT        := 1.30.2
PIT_JUNIT5 := 1.2.3
JAZZER     := 0.24.0
GROUP      := io.github.passsafe
MVN        := mvn -q -B
LIB        := $(BUILD)/lib
comma      := ,

# Tests mirror the layers (test/LAYER/passsafe); test/system runs the real jar and the real tools
# (PostgreSQL, Jupyter, jbang, Spark, another user), test/support holds helpers, test/bench the
# benchmark; test/fuzz holds Jazzer's targets, compiled apart with their stored inputs beside them.
TESTS      := $(filter-out test/fuzz/%,$(wildcard test/*/passsafe/*.java))
FUZZ_TESTS := $(wildcard test/fuzz/passsafe/*.java)
# make check: the layers' own tests, in-process, none of the tools.
CHECK_CLASSES := $(basename $(notdir $(foreach layer,$(LAYERS),$(wildcard test/$(layer)/passsafe/*Test.java))))

.PHONY: check test bench mutation fuzz wordlist install-m2

# $(1) group:artifact:version, linked with everything it depends on into $(2): Maven resolves them
# into ~/.m2 once; build/lib holds only links to them.
define link-with-dependencies
	mkdir -p $(2)-fetch $(2)
	printf '%s\n' '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>' \
		'<groupId>local</groupId><artifactId>fetch</artifactId><version>1</version><packaging>pom</packaging>' \
		'<dependencies><dependency><groupId>$(word 1,$(subst :, ,$(1)))</groupId><artifactId>$(word 2,$(subst :, ,$(1)))</artifactId>' \
		'<version>$(word 3,$(subst :, ,$(1)))</version></dependency></dependencies></project>' > $(2)-fetch/pom.xml
	$(MVN) -f $(2)-fetch/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
		-Dmdep.outputFile=$(abspath $(2)-fetch/classpath)
	tr ':' '\n' < $(2)-fetch/classpath | xargs -r ln -sf -t $(2)
endef

JUNIT_JAR  := $(LIB)/junit/junit-platform-console-standalone-$(JUNIT).jar
PGJDBC_JAR := $(LIB)/pgjdbc/postgresql-$(PGJDBC).jar
JBANG_LIB  := $(LIB)/jbang
SPARK_LIB  := $(LIB)/spark
HIKARI_LIB := $(LIB)/hikari
SQLLINE_LIB := $(LIB)/sqlline
PIT_LIB    := $(LIB)/pit
JAZZER_LIB := $(LIB)/jazzer
HIKARI_CP  := $(HIKARI_LIB)/HikariCP-$(HIKARI).jar:$(HIKARI_LIB)/slf4j-api-2.0.17.jar
JAZZER_CP  := $(JAZZER_LIB)/jazzer-$(JAZZER).jar:$(JAZZER_LIB)/jazzer-api-$(JAZZER).jar:$(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar

$(JUNIT_JAR):
	$(call link-with-dependencies,org.junit.platform:junit-platform-console-standalone:$(JUNIT),$(LIB)/junit)
$(PGJDBC_JAR):
	$(call link-with-dependencies,org.postgresql:postgresql:$(PGJDBC),$(LIB)/pgjdbc)
$(JBANG_LIB)/jbang-cli-$(JBANG).jar:
	$(call link-with-dependencies,dev.jbang:jbang-cli:$(JBANG),$(JBANG_LIB))
# Spark: about 280 MB in ~/.m2, run in a JVM of its own, never on the tests' class path.
$(SPARK_LIB)/spark-sql_2.13-$(SPARK).jar:
	$(call link-with-dependencies,org.apache.spark:spark-sql_2.13:$(SPARK),$(SPARK_LIB))
$(HIKARI_LIB)/HikariCP-$(HIKARI).jar:
	$(call link-with-dependencies,com.zaxxer:HikariCP:$(HIKARI),$(HIKARI_LIB))
$(SQLLINE_LIB)/sqlline-$(SQLLINE).jar:
	$(call link-with-dependencies,sqlline:sqlline:$(SQLLINE),$(SQLLINE_LIB))
$(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar:
	$(call link-with-dependencies,com.code-intelligence:jazzer-junit:$(JAZZER),$(JAZZER_LIB))
$(PIT_LIB)/pitest-command-line-$(PIT).jar:
	$(call link-with-dependencies,org.pitest:pitest-command-line:$(PIT),$(PIT_LIB))
	$(call link-with-dependencies,org.pitest:pitest-junit5-plugin:$(PIT_JUNIT5),$(PIT_LIB))

TEST_TOOLS := $(PGJDBC_JAR) $(JBANG_LIB)/jbang-cli-$(JBANG).jar $(SPARK_LIB)/spark-sql_2.13-$(SPARK).jar $(SQLLINE_LIB)/sqlline-$(SQLLINE).jar

# Tests may use the features of the JDK that runs them, from 17 on.
$(BUILD)/test-classes.stamp: $(TESTS) test/support/META-INF/services/org.junit.platform.launcher.TestExecutionListener $(JAR) $(JUNIT_JAR) $(HIKARI_LIB)/HikariCP-$(HIKARI).jar
	rm -rf $(BUILD)/test-classes
	$(JAVAC) --release 17 $(JAVAC_FLAGS) -d $(BUILD)/test-classes -cp $(CLASSES):$(JUNIT_JAR):$(HIKARI_CP) $(TESTS)
	cp -r test/support/META-INF $(BUILD)/test-classes/
	touch $@

$(BUILD)/fuzz-classes.stamp: $(FUZZ_TESTS) $(BUILD)/test-classes.stamp $(JAZZER_LIB)/jazzer-junit-$(JAZZER).jar
	rm -rf $(BUILD)/fuzz-classes
	$(JAVAC) --release 17 $(JAVAC_FLAGS) -d $(BUILD)/fuzz-classes -cp $(CLASSES):$(BUILD)/test-classes:$(JUNIT_JAR):$(JAZZER_CP) $(FUZZ_TESTS)
	touch $@

# The public API's documentation, checked by doclint: Client, Secret, Driver, PasssafeException.
JAVADOC_JAR := $(BUILD)/passsafe-$(VERSION)-javadoc.jar
$(JAVADOC_JAR): $(JAR)
	rm -rf $(BUILD)/javadoc
	$(JDK_BIN)javadoc -encoding UTF-8 -quiet -Xdoclint:all -Werror --release 11 -d $(BUILD)/javadoc \
		-sourcepath $(subst $(space),:,$(patsubst %,src/%,$(LAYERS))) passsafe
	$(JDK_BIN)jar --create --file $@ -C $(BUILD)/javadoc .

# Every run of a test JVM is apart from the user (test/isolated): no terminal, its own home and
# temporary directory, and nothing left running. The last line is the plain 'N passed, N failed',
# after what failed, so the tail of a CI log says why.
ISOLATED = test/isolated $(BUILD)/isolated $(JAVA) -Duser.home=$(CURDIR)/$(BUILD)/isolated/home -Djava.io.tmpdir=$(CURDIR)/$(BUILD)/isolated/tmp
define junit
	set -o pipefail; $(ISOLATED) -Dpasssafe.jar=$(JAR) -Dpasssafe.spark=$(SPARK_LIB) -Dpasssafe.pgjdbc=$(PGJDBC_JAR) \
		-Dpasssafe.sqlline=$(SQLLINE_LIB) -Dpasssafe.jbang=$(JBANG_LIB) -Dpasssafe.m2=$(HOME)/.m2/repository -jar $(JUNIT_JAR) execute \
		--disable-banner --disable-ansi-colors --fail-if-no-tests --details=tree \
		--class-path $(JAR):$(BUILD)/test-classes:$(PGJDBC_JAR):$(HIKARI_CP) $(1) 2>&1 | tee $(2); status=$$?; \
	[ $$status = 0 ] || { echo "what failed (the first lines of each; the whole run is in $(2)):"; grep -A6 '✘' $(2) | cut -c1-300 | head -80; }; \
	awk '/tests successful/{ok=$$2} /tests failed/{bad=$$2} END{printf "test: %d passed, %d failed\n", ok, bad}' $(2); \
	exit $$status
endef

# The fuzz targets in a JVM of their own, with Jazzer on the system class path (its agent needs it
# there) and the classes as directories (Jazzer instruments those, not jars). test/fuzz is on the
# class path for the stored inputs, so make fuzz adds what it finds straight to them.
JAZZER_RUN = $(ISOLATED) -cp $(JAZZER_CP):$(JUNIT_JAR):$(CLASSES):$(BUILD)/test-classes:$(BUILD)/fuzz-classes:test/fuzz \
	-Djazzer.instrumentation_includes='passsafe.**' -Djazzer.internal.basedir=$(CURDIR)/$(BUILD)/fuzz \
	org.junit.platform.console.ConsoleLauncher execute --disable-banner --disable-ansi-colors --fail-if-no-tests --details=tree

check: $(JAVADOC_JAR) $(BUILD)/test-classes.stamp ## run the layers' fast in-process tests (no PostgreSQL, Jupyter, jbang, Spark or other users; about 2 minutes)
	$(call junit,--exclude-tag other-user $(addprefix --select-class passsafe.,$(CHECK_CLASSES)),$(BUILD)/check.log)

test: $(JAVADOC_JAR) $(BUILD)/test-classes.stamp $(BUILD)/fuzz-classes.stamp $(TEST_TOOLS) ## run every test (about 11 minutes; the first run fetches about 350 MB of tools into ~/.m2)
	@echo "make test: every test, about 11 minutes on 2 cores; tools come from ~/.m2 (about 350 MB the first time)"
	set -o pipefail; $(JAZZER_RUN) --scan-class-path $(BUILD)/fuzz-classes > $(BUILD)/fuzz-replay.log 2>&1; status=$$?; \
	awk '/tests successful/{ok=$$2} /tests failed/{bad=$$2} END{printf "fuzz replay: %d passed, %d failed\n", ok, bad}' $(BUILD)/fuzz-replay.log; \
	[ $$status = 0 ] || { grep -vE '^INFO: ' $(BUILD)/fuzz-replay.log | tail -60; exit $$status; }
	$(call junit,--scan-class-path $(BUILD)/test-classes,$(BUILD)/test.log)

bench: $(JAR) $(BUILD)/test-classes.stamp ## measure speed and memory; prints a markdown table (about 6 minutes)
	$(JAVA) -cp $(JAR):$(BUILD)/test-classes passsafe.Bench

# PIT over the security core with its in-process tests; test/mutation/explained.txt gives the
# reason for each mutant kept on purpose. Slow: not part of make test.
MUTATED := Kdf Envelope KeyCheck Opener Sealer Token Passphrase Names Durations Utf8 Safe Gate Handler Protocol AesKey \
	HttpStream HttpLines Request Response SessionFile PrivateDirectory Transport EndedNote DriverUrl LoopbackUrl
MUTATION_TESTS := KdfTest KeyCheckTest EnvelopeTest AesKeyTest OpenerTest SealerTest PrivateDirectoryTest DriverUrlTest TokenTest \
	PassphraseTest DurationsTest Utf8Test ResponseTest HttpLinesTest LoopbackUrlTest SafeTest GateTest HandlerTest HttpStreamTest \
	FramingTest ServerTest SessionFileTest EndedNoteTest TransportTest ClientTest DriverTest
mutation: $(BUILD)/test-classes.stamp $(PIT_LIB)/pitest-command-line-$(PIT).jar ## mutation testing of the security core with PIT (about 15 minutes)
	rm -rf $(BUILD)/mutation
	$(ISOLATED) -cp '$(PIT_LIB)/*:$(JUNIT_JAR)' org.pitest.mutationtest.commandline.MutationCoverageReport \
		--reportDir $(BUILD)/mutation --timestampedReports=false --outputFormats HTML,CSV --threads 2 \
		--targetClasses $(subst $(space),$(comma),$(addprefix passsafe.,$(MUTATED))) \
		--targetTests $(subst $(space),$(comma),$(addprefix passsafe.,$(MUTATION_TESTS))) \
		--excludedGroups other-user --sourceDirs $(subst $(space),$(comma),$(addprefix src/,$(LAYERS))) \
		--classPath $(subst :,$(comma),$(CLASSES)),$(BUILD)/test-classes,$(JUNIT_JAR),$(PGJDBC_JAR),$(CURDIR) > $(BUILD)/mutation.log 2>&1 \
		|| { tail -30 $(BUILD)/mutation.log; exit 1; }
	test/mutation/summary.sh $(BUILD)/mutation/mutations.csv test/mutation/explained.txt

fuzz: $(BUILD)/fuzz-classes.stamp ## fuzz every parser with Jazzer, 2 minutes per target (about 25 minutes)
	test/fuzz/fuzz.sh $(BUILD)/fuzz $(JAZZER_RUN)

wordlist: ## regenerate wordlist.txt from Debian's scowl lists (apt-get install scowl)
	mkdir -p $(BUILD)
	test/wordlist/make-wordlist.sh > $(BUILD)/wordlist.txt
	mv $(BUILD)/wordlist.txt wordlist.txt

# The Maven coordinates: io.github.passsafe:passsafe:$(VERSION), with its sources and javadoc.
POM         := $(BUILD)/passsafe-$(VERSION).pom
SOURCES_JAR := $(BUILD)/passsafe-$(VERSION)-sources.jar
$(POM): Makefile
	mkdir -p $(BUILD)
	printf '%s\n' '<?xml version="1.0" encoding="UTF-8"?>' '<project xmlns="http://maven.apache.org/POM/4.0.0">' \
		'  <modelVersion>4.0.0</modelVersion>' '  <groupId>$(GROUP)</groupId>' '  <artifactId>passsafe</artifactId>' \
		'  <version>$(VERSION)</version>' '  <packaging>jar</packaging>' '  <name>passsafe</name>' \
		'  <description>Hand a password to the programs you write in notebooks, jshell, jbang scripts and JDBC code, without typing it into code. No dependencies.</description>' \
		'  <licenses><license><name>MIT</name></license></licenses>' '</project>' > $@
$(SOURCES_JAR): $(JAR)
	$(JDK_BIN)jar --create --file $@ $(foreach layer,$(LAYERS),-C src/$(layer) passsafe) -C src versions

install-m2: $(JAR) $(POM) $(SOURCES_JAR) $(JAVADOC_JAR) ## install the jar, its POM, sources and javadoc in the local Maven repository
	$(MVN) org.apache.maven.plugins:maven-install-plugin:3.1.3:install-file -Dfile=$(JAR) -DpomFile=$(POM) \
		-Dsources=$(SOURCES_JAR) -Djavadoc=$(JAVADOC_JAR)
