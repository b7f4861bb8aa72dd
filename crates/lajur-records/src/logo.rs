//! The office's logo file, decoded and scaled to print size (PNG or JPEG only).

use lajur_core::office::{LOGO_MAX_PX, Logo, LogoError, MAX_LOGO_BYTES};

/// Decodes a PNG or JPEG and scales it down to print size.
pub fn decode_logo(bytes: &[u8]) -> Result<Logo, LogoError> {
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(LogoError::TooLarge(bytes.len()));
    }
    let format = image::guess_format(bytes).map_err(|_| LogoError::NotAnImage)?;
    if !matches!(format, image::ImageFormat::Png | image::ImageFormat::Jpeg) {
        return Err(LogoError::NotAnImage);
    }
    let decoded =
        image::load_from_memory_with_format(bytes, format).map_err(|_| LogoError::NotAnImage)?;
    if decoded.width() == 0 || decoded.height() == 0 {
        return Err(LogoError::NotAnImage);
    }
    let scaled = if decoded.width().max(decoded.height()) > LOGO_MAX_PX {
        decoded.thumbnail(LOGO_MAX_PX, LOGO_MAX_PX)
    } else {
        decoded
    };
    let rgba = scaled.to_rgba8();
    Ok(Logo {
        width: rgba.width(),
        height: rgba.height(),
        rgba: rgba.into_raw(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logos_decode_scale_and_refuse_what_is_not_an_image() {
        let mut png = Vec::new();
        let img = image::RgbaImage::from_pixel(1200, 600, image::Rgba([200, 20, 20, 255]));
        image::DynamicImage::ImageRgba8(img)
            .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
            .expect("png");
        let logo = decode_logo(&png).expect("decodes");
        assert_eq!((logo.width, logo.height), (480, 240));
        assert_eq!(logo.rgba.len(), 480 * 240 * 4);
        assert!((logo.aspect() - 2.0).abs() < 1e-6);
        assert_eq!(decode_logo(b"not an image"), Err(LogoError::NotAnImage));
        assert_eq!(decode_logo(&png[..40]), Err(LogoError::NotAnImage));
        assert_eq!(
            decode_logo(&vec![0u8; MAX_LOGO_BYTES + 1]),
            Err(LogoError::TooLarge(MAX_LOGO_BYTES + 1))
        );
    }
}
