package io.redisdiscovery.sample;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import org.springframework.util.FileSystemUtils;

/**
 * Debian's Chromium, driven headless by its own chromedriver with a fresh profile; nothing is downloaded.
 */
final class HeadlessChromium implements AutoCloseable {

	private static final String CHROMIUM = "/usr/bin/chromium";

	private static final String CHROMEDRIVER = "/usr/bin/chromedriver";

	private final Path profile;

	private final ChromeDriver driver;

	HeadlessChromium() throws IOException {
		this.profile = Files.createTempDirectory("sample-chromium-");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(CHROMIUM);
		options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
				"--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
				"--window-size=1400,1100", "--user-data-dir=" + this.profile);
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
			.usingAnyFreePort()
			.build();
		try {
			this.driver = new ChromeDriver(service, options);
		}
		catch (RuntimeException ex) {
			FileSystemUtils.deleteRecursively(this.profile);
			throw ex;
		}
	}

	ChromeDriver driver() {
		return this.driver;
	}

	String text(String id) {
		return this.driver.findElement(By.id(id)).getText().trim();
	}

	WebDriverWait waitUpTo(int seconds) {
		return new WebDriverWait(this.driver, Duration.ofSeconds(seconds), Duration.ofMillis(200));
	}

	@Override
	public void close() throws IOException {
		try {
			this.driver.quit();
		}
		finally {
			FileSystemUtils.deleteRecursively(this.profile);
		}
	}

}
